import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { ChannelsModule } from './channels/channels.module';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { ConsentModule } from './consent/consent.module';
import { ConversationsModule } from './conversations/conversations.module';
import { CustomersModule } from './customers/customers.module';
import { CustomerImportsModule } from './customer-imports/customer-imports.module';
import { dataSourceOptions } from './database/data-source-options';
import { DeliveryModule } from './delivery/delivery.module';
import { EmailModule } from './email/email.module';
import { EventsModule } from './events/events.module';
import { HealthModule } from './health/health.module';
import { IngestModule } from './ingest/ingest.module';
import { LivechatModule } from './livechat/livechat.module';
import { InboxModule } from './inbox/inbox.module';
import { NotificationsModule } from './notifications/notifications.module';
import { PartitionsModule } from './partitions/partitions.module';
import { PrivacyModule } from './privacy/privacy.module';
import { RealtimeModule } from './realtime/realtime.module';
import { MetricsModule } from './metrics/metrics.module';
import { OperationsMetricsModule } from './operations/operations-metrics';
import { QueueModule } from './queue/queue.module';
import { SandboxModule } from './sandbox/sandbox.module';
import { TwilioModule } from './twilio/twilio.module';
import { WechatModule } from './wechat/wechat.module';
import { CircuitBreakerModule } from './routing/circuit-breaker';
import { DatabaseModule } from './database/database.module';
import { MessagesModule } from './messages/messages.module';
import { TemplateDraftsModule } from './templates/template-drafts.module';
import { TemplatesModule } from './templates/templates.module';
import { CampaignsModule } from './campaigns/campaigns.module';
import { ContactsModule } from './contacts/contacts.module';
import { TrackingModule } from './tracking/tracking.module';
import { PreferencesModule } from './preferences/preferences.module';
import { AnalyticsModule } from './analytics/analytics.module';
import { SetupModule } from './setup/setup.module';
import { WebhooksModule } from './webhooks/webhooks.module';
import { AutomationModule } from './automation/automation.module';

/** The whole hub; the same module list boots as API, worker, or both (PROCESS_ROLE). */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, databaseUrl: string): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        // No entities: every statement is raw SQL in a repository; the migrations are the schema.
        TypeOrmModule.forRoot(
          dataSourceOptions(databaseUrl, { embedded: config.embeddedDatabase }),
        ),
        DatabaseModule,
        EventsModule,
        MetricsModule,
        QueueModule.forRoot(config),
        AuthModule,
        AuditModule,
        ConsentModule,
        ChannelsModule,
        IngestModule,
        DeliveryModule,
        ConversationsModule,
        CustomersModule,
        CustomerImportsModule,
        SandboxModule,
        HealthModule,
        EmailModule,
        LivechatModule,
        InboxModule,
        NotificationsModule,
        RealtimeModule,
        PrivacyModule,
        PartitionsModule,
        TwilioModule,
        WechatModule,
        CircuitBreakerModule,
        OperationsMetricsModule,
        TemplatesModule,
        TemplateDraftsModule,
        MessagesModule,
        TrackingModule,
        PreferencesModule,
        AnalyticsModule,
        CampaignsModule,
        ContactsModule,
        SetupModule,
        WebhooksModule,
        AutomationModule,
      ],
    };
  }
}
