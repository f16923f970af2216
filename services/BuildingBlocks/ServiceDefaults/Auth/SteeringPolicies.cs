namespace Egov.Steering.ServiceDefaults.Auth;

/// <summary>Authorization policy names for <c>[Authorize(Policy = ...)]</c> or <c>RequireAuthorization(...)</c>.</summary>
public static class SteeringPolicies
{
    public const string Read = SteeringScopes.Read;
    public const string Write = SteeringScopes.Write;
    public const string Admin = SteeringScopes.Admin;
}
