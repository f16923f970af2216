using Egov.Steering.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace Egov.Steering.ServiceDefaults.Auth;

/// <summary>Authorization policy names for <c>[Authorize(Policy = ...)]</c> or <c>RequireAuthorization(...)</c>.</summary>
public static class SteeringPolicies
{
    public const string Read = SteeringScopes.Read;
    public const string Write = SteeringScopes.Write;
    public const string Admin = SteeringScopes.Admin;

    /// <summary>
    /// The policy an endpoint declares: the strictest of its <c>[Authorize]</c> policies (on the method or its class),
    /// <see cref="Read"/> (the fallback) when it names none, null when it allows anonymous calls.
    /// </summary>
    public static string? DeclaredBy(Endpoint? endpoint)
    {
        if (endpoint?.Metadata.GetMetadata<IAllowAnonymous>() is not null)
        {
            return null;
        }

        var policies = endpoint?.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(data => data.Policy).ToList() ?? [];
        return policies.Contains(Admin) ? Admin : policies.Contains(Write) ? Write : Read;
    }

    /// <summary>Whether a policy guards more than reading: the writes and the admin calls, whose refusals are audited.</summary>
    public static bool GuardsMoreThanReading(string? policy) => policy is Write or Admin;
}
