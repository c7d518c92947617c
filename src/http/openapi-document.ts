import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

/** The OpenAPI document served at /docs/openapi.json, from which the web app's client is generated. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  return SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Omnichannel communication hub')
      .setDescription('One customer timeline across email, SMS, voice, WeChat and live chat.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
}
