import { Module } from '@nestjs/common';
import { ConsentModule } from '../consent/consent.module';
import { CustomersModule } from '../customers/customers.module';
import { CustomerImportsController } from './customer-imports.controller';
import { CustomerImportsRepository } from './customer-imports.repository';
import { CustomerImportsService } from './customer-imports.service';

/** Customer imports from the browser (the CLI imports with the same importer). */
@Module({
  imports: [CustomersModule, ConsentModule],
  controllers: [CustomerImportsController],
  providers: [CustomerImportsService, CustomerImportsRepository],
})
export class CustomerImportsModule {}
