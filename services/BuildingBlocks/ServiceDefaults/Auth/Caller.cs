using System.Security.Claims;
using Egov.Steering.ReferenceData;
using Egov.Steering.ServiceDefaults.Errors;

namespace Egov.Steering.ServiceDefaults.Auth;

/// <summary>
/// Who is calling: the subject, the organisation it acts for and its scopes, read from the validated token.
/// Services ask it whether the caller may write a committee of a given owner organisation.
/// </summary>
public sealed class Caller
{
    public Caller(string subject, string organisation, IEnumerable<string> scopes)
    {
        Subject = subject;
        Organisation = organisation;
        Scopes = scopes.ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The caller of a request that carried no valid token.</summary>
    public static Caller Anonymous { get; } = new(string.Empty, string.Empty, []);

    /// <summary>The JWT <c>sub</c> claim: a user or a system account.</summary>
    public string Subject { get; }

    /// <summary>The organisation code (JWT <c>org</c> claim), e.g. "province-2025-52".</summary>
    public string Organisation { get; }

    /// <summary>The scopes the token grants as sent (see <see cref="SteeringScopes"/> for what they imply).</summary>
    public IReadOnlySet<string> Scopes { get; }

    public bool IsAuthenticated => Subject.Length > 0;

    /// <summary>An admin acts for the national level with the admin scope, and may write every organisation's data.</summary>
    public bool IsAdmin =>
        Organisation == Organisations.National && SteeringScopes.Satisfies(Scopes, SteeringScopes.Admin);

    public bool CanRead => IsAuthenticated && SteeringScopes.Satisfies(Scopes, SteeringScopes.Read);

    /// <summary>Whether the caller may write data owned by <paramref name="ownerOrganisation"/>.</summary>
    public bool CanWrite(string ownerOrganisation) =>
        IsAdmin
        || (IsAuthenticated
            && SteeringScopes.Satisfies(Scopes, SteeringScopes.Write)
            && string.Equals(Organisation, ownerOrganisation, StringComparison.Ordinal));

    public void EnsureCanRead()
    {
        if (!CanRead)
        {
            throw new PermissionDeniedException("READ_SCOPE_REQUIRED", $"the scope {SteeringScopes.Read} is required");
        }
    }

    /// <summary>
    /// Throws <see cref="PermissionDeniedException"/> unless the caller is an admin or writes for its own organisation
    /// with the write scope ("the caller may write this committee").
    /// </summary>
    public void EnsureCanWrite(string ownerOrganisation)
    {
        if (CanWrite(ownerOrganisation))
        {
            return;
        }

        if (!SteeringScopes.Satisfies(Scopes, SteeringScopes.Write))
        {
            throw new PermissionDeniedException("WRITE_SCOPE_REQUIRED", $"the scope {SteeringScopes.Write} is required");
        }

        throw new PermissionDeniedException(
            "OTHER_ORGANISATION",
            $"organisation '{Organisation}' may not write data owned by '{ownerOrganisation}'");
    }

    /// <summary>The caller described by a validated principal (anonymous when it is not authenticated).</summary>
    public static Caller From(ClaimsPrincipal? principal) =>
        principal?.Identity?.IsAuthenticated == true
            ? new Caller(
                principal.FindFirstValue(SteeringClaims.Subject) ?? string.Empty,
                principal.FindFirstValue(SteeringClaims.Organisation) ?? string.Empty,
                SteeringScopes.Of(principal))
            : Anonymous;
}
