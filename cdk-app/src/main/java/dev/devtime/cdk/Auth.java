package dev.devtime.cdk;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.cognito.AccountRecovery;
import software.amazon.awscdk.services.cognito.AuthFlow;
import software.amazon.awscdk.services.cognito.AutoVerifiedAttrs;
import software.amazon.awscdk.services.cognito.CognitoDomainOptions;
import software.amazon.awscdk.services.cognito.FeaturePlan;
import software.amazon.awscdk.services.cognito.Mfa;
import software.amazon.awscdk.services.cognito.MfaSecondFactor;
import software.amazon.awscdk.services.cognito.OAuthFlows;
import software.amazon.awscdk.services.cognito.OAuthScope;
import software.amazon.awscdk.services.cognito.OAuthSettings;
import software.amazon.awscdk.services.cognito.PasswordPolicy;
import software.amazon.awscdk.services.cognito.ResourceServerScope;
import software.amazon.awscdk.services.cognito.SignInAliases;
import software.amazon.awscdk.services.cognito.SignInUrlOptions;
import software.amazon.awscdk.services.cognito.StandardAttribute;
import software.amazon.awscdk.services.cognito.StandardAttributes;
import software.amazon.awscdk.services.cognito.UserPool;
import software.amazon.awscdk.services.cognito.UserPoolClient;
import software.amazon.awscdk.services.cognito.UserPoolClientIdentityProvider;
import software.amazon.awscdk.services.cognito.UserPoolClientOptions;
import software.amazon.awscdk.services.cognito.UserPoolDomain;
import software.amazon.awscdk.services.cognito.UserPoolDomainOptions;
import software.amazon.awscdk.services.cognito.UserPoolResourceServer;
import software.amazon.awscdk.services.cognito.UserPoolResourceServerOptions;
import software.constructs.Construct;

/**
 * The dashboard's sign-in: a Cognito user pool, its hosted domain, the dashboard's app client and the
 * {@code devtime/api} scope the JWT routes require.
 */
final class Auth extends Construct {

    /** The Cognito resource server and the scope the JWT routes require ({@code devtime/api}). */
    static final String RESOURCE_SERVER = "devtime";

    static final String API_SCOPE = "api";
    static final String SCOPE = RESOURCE_SERVER + "/" + API_SCOPE;

    private final UserPool userPool;
    private final UserPoolClient client;
    private final UserPoolDomain domain;
    private final List<String> callbacks = new ArrayList<>();

    /** {@code dashboardUrl}: where the dashboard is served before any custom domain. */
    Auth(Construct scope, String id, DeployConfig config, String dashboardUrl) {
        super(scope, id);
        userPool = UserPool.Builder.create(this, "UserPool")
                .signInAliases(SignInAliases.builder().email(true).build())
                .autoVerify(AutoVerifiedAttrs.builder().email(true).build())
                .standardAttributes(StandardAttributes.builder()
                        .email(StandardAttribute.builder()
                                .required(true)
                                .mutable(true)
                                .build())
                        .build())
                .selfSignUpEnabled(config.selfSignUp())
                .passwordPolicy(PasswordPolicy.builder()
                        .minLength(12)
                        .requireLowercase(true)
                        .requireUppercase(true)
                        .requireDigits(true)
                        .requireSymbols(true)
                        .tempPasswordValidity(Duration.days(3))
                        .build())
                // TOTP only: SMS codes would bill per message.
                .mfa(Mfa.OPTIONAL)
                .mfaSecondFactor(MfaSecondFactor.builder().otp(true).sms(false).build())
                .accountRecovery(AccountRecovery.EMAIL_ONLY)
                .featurePlan(FeaturePlan.ESSENTIALS)
                .removalPolicy(config.dataRemoval())
                .build();
        UserPoolResourceServer resourceServer = userPool.addResourceServer(
                "ResourceServer",
                UserPoolResourceServerOptions.builder()
                        .identifier(RESOURCE_SERVER)
                        .scopes(List.of(ResourceServerScope.Builder.create()
                                .scopeName(API_SCOPE)
                                .scopeDescription("Use the DevTime API")
                                .build()))
                        .build());
        // The dashboard completes sign-in on its own root page and signs out back to it (web/src/auth.ts:
        // redirect_uri and /logout's logout_uri are both origin + "/"), so one list serves both.
        callbacks.add(dashboardUrl + "/");
        if (config.domainName() != null) {
            callbacks.add("https://" + config.domainName() + "/");
        }
        callbacks.addAll(config.callbackUrls());
        client = userPool.addClient(
                "DashboardClient",
                UserPoolClientOptions.builder()
                        .generateSecret(false)
                        .authFlows(AuthFlow.builder().userSrp(true).build())
                        .oAuth(OAuthSettings.builder()
                                .flows(OAuthFlows.builder()
                                        .authorizationCodeGrant(true)
                                        .implicitCodeGrant(false)
                                        .build())
                                .scopes(List.of(OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.custom(SCOPE)))
                                .callbackUrls(callbacks)
                                .logoutUrls(callbacks)
                                .build())
                        .supportedIdentityProviders(List.of(UserPoolClientIdentityProvider.COGNITO))
                        .preventUserExistenceErrors(true)
                        .accessTokenValidity(Duration.hours(1))
                        .idTokenValidity(Duration.hours(1))
                        .refreshTokenValidity(Duration.days(30))
                        .build());
        client.getNode().addDependency(resourceServer);
        String prefix = config.authDomainPrefix() != null
                ? config.authDomainPrefix()
                // Cognito prefixes are global per region: the account id keeps two users apart.
                : Fn.join("-", List.of("devtime", config.stage(), Stack.of(this).getAccount()));
        domain = userPool.addDomain(
                "HostedDomain",
                UserPoolDomainOptions.builder()
                        .cognitoDomain(CognitoDomainOptions.builder()
                                .domainPrefix(prefix)
                                .build())
                        .build());
    }

    UserPool userPool() {
        return userPool;
    }

    UserPoolClient client() {
        return client;
    }

    /** The token issuer the handlers and the JWT authorizer check. */
    String issuer() {
        return "https://cognito-idp." + Stack.of(this).getRegion() + ".amazonaws.com/" + userPool.getUserPoolId();
    }

    /** The hosted domain: it serves the sign-in page and /logout (the issuer does not). */
    String domainUrl() {
        return domain.baseUrl();
    }

    String signInUrl() {
        return domain.signInUrl(
                client, SignInUrlOptions.builder().redirectUri(callbacks.get(0)).build());
    }
}
