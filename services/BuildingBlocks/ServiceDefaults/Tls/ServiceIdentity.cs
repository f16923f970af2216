using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using Egov.Steering.ServiceDefaults.Auth;
using Egov.Steering.ServiceDefaults.Errors;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Egov.Steering.ServiceDefaults.Tls;

/// <summary>
/// Service-only methods (<c>[Authorize(Policy = ServiceIdentity.Policy)]</c>, e.g. Membership's PreviewChanges) are
/// called by the steering services, identified by their client certificate (mutual TLS, validated in the handshake
/// against <see cref="TlsOptions.CaPath"/>) and authorized as the service named in <see cref="TlsOptions.TrustedServices"/>;
/// an end user's token alone is refused. The end user on whose behalf the service calls (its forwarded token) is
/// recorded on the call's trace. Without mutual TLS (the embedded host, a plain-text development install) there is no
/// service identity to check, and the policy is the read policy every other method has.
/// </summary>
public static class ServiceIdentity
{
    public const string Policy = "steering.service";

    /// <summary>The trace tag naming the calling service.</summary>
    public const string ServiceTag = "steering.caller.service";

    /// <summary>The trace tag naming the end user the service calls for (its token's subject), when it sent one.</summary>
    public const string EndUserTag = "enduser.id";

    /// <summary>
    /// The trusted service <paramref name="certificate"/> identifies, by one of its DNS names or its common name: the
    /// name itself or a longer DNS name under it (<c>egov-steering-decisions.steering.svc</c>); null when none matches.
    /// </summary>
    public static string? Of(X509Certificate2? certificate, IReadOnlyCollection<string> trustedServices)
    {
        if (certificate is null)
        {
            return null;
        }

        var names = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().SelectMany(san => san.EnumerateDnsNames())
            .Append(certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false));
        return trustedServices.FirstOrDefault(service => names.Any(name =>
            name.Equals(service, StringComparison.OrdinalIgnoreCase) || name.StartsWith(service + ".", StringComparison.OrdinalIgnoreCase)));
    }

    internal static void AddPolicy(IServiceCollection services, TlsOptions tls)
    {
        services.AddSingleton<IAuthorizationHandler, ServiceCallerHandler>();
        services.Configure<AuthorizationOptions>(authorization => authorization.AddPolicy(Policy, tls.Mutual
            ? new AuthorizationPolicyBuilder().AddRequirements(new ServiceCallerRequirement(tls.TrustedServices)).Build()
            : new AuthorizationPolicyBuilder().RequireAuthenticatedUser().AddRequirements(new CallerRequirement(SteeringPolicies.Read)).Build()));
    }

    private sealed record ServiceCallerRequirement(IReadOnlyCollection<string> TrustedServices) : IAuthorizationRequirement;

    private sealed class ServiceCallerHandler : AuthorizationHandler<ServiceCallerRequirement>
    {
        protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ServiceCallerRequirement requirement)
        {
            var http = context.Resource as HttpContext;
            if (Of(http?.Connection.ClientCertificate, requirement.TrustedServices) is { } service)
            {
                Activity.Current?.SetTag(ServiceTag, service);
                if (Caller.From(context.User) is { IsAuthenticated: true } user)
                {
                    Activity.Current?.SetTag(EndUserTag, user.Subject);
                }

                context.Succeed(requirement);
            }
            else
            {
                context.Fail(new CallerRefusal(this, new PermissionDeniedException(
                    "SERVICE_ONLY",
                    "only the steering services call this method, with a client certificate of a trusted service (Tls:TrustedServices)")));
            }

            return Task.CompletedTask;
        }
    }
}
