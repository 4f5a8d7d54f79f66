package dev.devtime.cdk;

import dev.devtime.model.api.ApiRoutes;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpUserPoolAuthorizer;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpUserPoolAuthorizerProps;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegrationProps;
import software.amazon.awscdk.services.apigateway.AccessLogFormat;
import software.amazon.awscdk.services.apigatewayv2.CorsHttpMethod;
import software.amazon.awscdk.services.apigatewayv2.CorsPreflightOptions;
import software.amazon.awscdk.services.apigatewayv2.DomainMappingOptions;
import software.amazon.awscdk.services.apigatewayv2.DomainName;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.HttpMethod;
import software.amazon.awscdk.services.apigatewayv2.HttpRoute;
import software.amazon.awscdk.services.apigatewayv2.HttpRouteKey;
import software.amazon.awscdk.services.apigatewayv2.HttpStage;
import software.amazon.awscdk.services.apigatewayv2.HttpStageOptions;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogDestination;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogSettings;
import software.amazon.awscdk.services.apigatewayv2.IHttpRouteAuthorizer;
import software.amazon.awscdk.services.apigatewayv2.LogGroupLogDestination;
import software.amazon.awscdk.services.apigatewayv2.ThrottleSettings;
import software.amazon.awscdk.services.certificatemanager.Certificate;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;

/**
 * The HTTP API: one route per entry of the route table, each calling its function's live alias, the JWT
 * routes behind the Cognito authorizer; the throttled $default stage with JSON access logs, and the
 * optional custom domain.
 */
final class Api extends Construct {

    private final HttpApi api;
    private final HttpStage stage;
    private final String url;

    /** {@code origins}: the browser origins CORS admits (the dashboard's, then the configured ones). */
    Api(
            Construct scope,
            String id,
            DeployConfig config,
            List<String> origins,
            Auth auth,
            Map<ApiRoutes.Function, Alias> aliases,
            List<ApiRoutes.Route> routes) {
        super(scope, id);
        api = HttpApi.Builder.create(this, "HttpApi")
                .apiName("devtime-" + config.stage())
                .description("DevTime HTTP API (" + config.stage() + ")")
                .createDefaultStage(false)
                .corsPreflight(CorsPreflightOptions.builder()
                        .allowOrigins(origins)
                        .allowMethods(List.of(
                                CorsHttpMethod.GET,
                                CorsHttpMethod.POST,
                                CorsHttpMethod.PUT,
                                CorsHttpMethod.PATCH,
                                CorsHttpMethod.DELETE,
                                CorsHttpMethod.OPTIONS))
                        .allowHeaders(List.of("Authorization", "Content-Type", "X-Machine-Name"))
                        // The dashboard follows export pages and backs off on 429 by these headers.
                        .exposeHeaders(List.of("X-Next-Cursor", "Retry-After"))
                        .maxAge(Duration.hours(1))
                        .build())
                .build();
        LogGroup accessLogs = LogGroup.Builder.create(this, "ApiAccessLogs")
                .retention(DevTimeStack.retention(config.logRetentionDays()))
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        HttpStageOptions.Builder stageOptions = HttpStageOptions.builder()
                // $default: no stage segment in paths, so the handlers see the paths of the route table.
                .stageName("$default")
                .autoDeploy(true)
                .throttle(ThrottleSettings.builder()
                        .rateLimit(config.throttleRate())
                        .burstLimit(config.throttleBurst())
                        .build())
                .accessLogSettings(new AccessLog(new LogGroupLogDestination(accessLogs)));
        if (config.domainName() != null) {
            DomainName apiDomain = DomainName.Builder.create(this, "ApiDomain")
                    .domainName(config.apiDomainName())
                    .certificate(Certificate.fromCertificateArn(this, "ApiCertificate", config.certificateArn()))
                    .build();
            stageOptions.domainMapping(
                    DomainMappingOptions.builder().domainName(apiDomain).build());
            CfnOutput.Builder.create(this, "ApiDomainTarget")
                    .value(apiDomain.getRegionalDomainName())
                    .description("DNS: point " + config.apiDomainName() + " here (CNAME, or a Route 53 alias)")
                    .build();
        }
        stage = api.addStage("DefaultStage", stageOptions.build());

        IHttpRouteAuthorizer jwt = new HttpUserPoolAuthorizer(
                "CognitoJwt",
                auth.userPool(),
                HttpUserPoolAuthorizerProps.builder()
                        .userPoolClients(List.of(auth.client()))
                        .build());
        Map<ApiRoutes.Function, HttpLambdaIntegration> integrations = new EnumMap<>(ApiRoutes.Function.class);
        // One invoke permission per function, for any route of this API: a permission per route would add a
        // resource per route and fill the function policy's 20 KB as the WakaTime-compatible routes grow.
        aliases.forEach((fn, alias) -> integrations.put(
                fn,
                new HttpLambdaIntegration(
                        fn.name().toLowerCase() + "-live",
                        alias,
                        HttpLambdaIntegrationProps.builder()
                                .scopePermissionToRoute(false)
                                .build())));
        for (ApiRoutes.Route route : routes) {
            HttpRoute.Builder b = HttpRoute.Builder.create(this, routeId(route))
                    .httpApi(api)
                    .routeKey(HttpRouteKey.with(route.path(), HttpMethod.valueOf(route.method())))
                    .integration(integrations.get(route.function()));
            if (route.auth() == ApiRoutes.Auth.JWT) {
                b.authorizer(jwt).authorizationScopes(List.of(Auth.SCOPE));
            }
            b.build();
        }
        url = config.domainName() != null ? "https://" + config.apiDomainName() : api.getApiEndpoint();
    }

    static String routeId(ApiRoutes.Route route) {
        return "Route " + route.routeKey();
    }

    HttpApi httpApi() {
        return api;
    }

    HttpStage stage() {
        return stage;
    }

    /** The base URL clients call: the custom domain's when there is one. */
    String url() {
        return url;
    }

    /** JSON access log lines: who called which route, the answer and where the time went. */
    private static final class AccessLog implements IAccessLogSettings {
        private final IAccessLogDestination destination;

        AccessLog(IAccessLogDestination destination) {
            this.destination = destination;
        }

        @Override
        public IAccessLogDestination getDestination() {
            return destination;
        }

        @Override
        public AccessLogFormat getFormat() {
            return AccessLogFormat.custom(
                    "{\"requestId\":\"$context.requestId\",\"ip\":\"$context.identity.sourceIp\","
                            + "\"requestTime\":\"$context.requestTime\",\"routeKey\":\"$context.routeKey\","
                            + "\"status\":\"$context.status\",\"responseLength\":\"$context.responseLength\","
                            + "\"latency\":\"$context.responseLatency\",\"integrationLatency\":\"$context.integrationLatency\","
                            + "\"integrationError\":\"$context.integrationErrorMessage\","
                            + "\"authorizerError\":\"$context.authorizer.error\",\"userAgent\":\"$context.identity.userAgent\"}");
        }
    }
}
