using Egov.Steering.Access;
using Egov.Steering.ServiceDefaults.Audit;
using Egov.Steering.ServiceDefaults.Telemetry;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Egov.Steering.ServiceDefaults.Auth;

public static class AuthExtensions
{
    /// <summary>
    /// JWT bearer authentication from the <c>Auth</c> configuration section, the <c>steering.*</c> policies and the
    /// scoped <see cref="Caller"/>. Start-up fails when the keys are unsafe (see <see cref="AuthOptionsValidator"/>).
    /// </summary>
    public static TBuilder AddSteeringAuthentication<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        var services = builder.Services;
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>, IHostEnvironment>((jwt, authOptions, environment) =>
            {
                var auth = authOptions.Value;
                jwt.Authority = string.IsNullOrWhiteSpace(auth.Authority) ? null : auth.Authority;
                jwt.RequireHttpsMetadata = !environment.IsDevelopment(); // a local identity provider may be plain HTTP
                jwt.Audience = auth.Audience;
                jwt.MapInboundClaims = false; // keep "sub", "org" and "scope" as the token names them
                jwt.SaveToken = false; // nothing reads the token back from the authentication properties
                var handlers = jwt.TokenHandlers.Select(handler => new CachingTokenHandler(handler, TimeProvider.System)).ToList();
                jwt.TokenHandlers.Clear();
                handlers.ForEach(jwt.TokenHandlers.Add);
                var parameters = jwt.TokenValidationParameters;
                parameters.ValidIssuer = auth.Issuer;
                parameters.ValidAudience = auth.Audience;
                parameters.IssuerSigningKeys = AuthOptionsValidator.EffectiveSigningKeys(auth, environment);
                parameters.ValidateIssuerSigningKey = true;
                parameters.RequireExpirationTime = true;
                parameters.ClockSkew = auth.ClockSkew;
                parameters.NameClaimType = SteeringClaims.Subject;
                jwt.Events = new JwtBearerEvents { OnTokenValidated = RefuseTokensThatNameNoCaller };
            });

        // Deny by default: an endpoint that forgets [Authorize] still needs a token with the read scope.
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(CallerPolicy(SteeringPolicies.Read))
            .AddPolicy(SteeringPolicies.Read, CallerPolicy(SteeringPolicies.Read))
            .AddPolicy(SteeringPolicies.Write, CallerPolicy(SteeringPolicies.Write))
            .AddPolicy(SteeringPolicies.Admin, CallerPolicy(SteeringPolicies.Admin));
        services.AddSingleton<IAuthorizationHandler>(CallerRequirementHandler.Instance);
        services.Replace(ServiceDescriptor.Singleton<IPolicyEvaluator, CallerPolicyEvaluator>());
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, GrpcAuthorizationResultHandler>();
        services.TryAddSingleton<ServiceMetrics>();

        services.AddHttpContextAccessor();
        services.AddScoped(provider => Caller.From(provider.GetRequiredService<IHttpContextAccessor>().HttpContext?.User));
        return builder;
    }

    private static AuthorizationPolicy CallerPolicy(string policy) =>
        new AuthorizationPolicyBuilder().RequireAuthenticatedUser().AddRequirements(new CallerRequirement(policy)).Build();

    // A validly signed token is trusted only if it names a caller; otherwise the call is UNAUTHENTICATED, saying why.
    private static Task RefuseTokensThatNameNoCaller(TokenValidatedContext context)
    {
        if (context.Principal is { } principal && !Caller.TryRead(principal, out _, out var problem))
        {
            RefusedCallLog.RememberClaimedCaller(context.HttpContext, principal);
            context.Fail(new InvalidCallerClaimsException(problem));
        }

        return Task.CompletedTask;
    }
}
