using System.Diagnostics.CodeAnalysis;
using System.Security.Claims;
using Egov.Steering.Access;
using Egov.Steering.ReferenceData;
using Egov.Steering.ServiceDefaults.Errors;

namespace Egov.Steering.ServiceDefaults.Auth;

/// <summary>
/// Who is calling: the subject, the organisation it acts for and its scopes, read from the validated token. The one
/// definition of a caller: token validation refuses a token whose claims are not a caller (<see cref="TryRead"/>),
/// the policies and every service ask it what the caller may do.
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
        IsAuthenticated && Organisation == Organisations.National && SteeringScopes.Satisfies(Scopes, SteeringScopes.Admin);

    public bool CanRead => RefusalOf(SteeringPolicies.Read) is null;

    /// <summary>Whether the caller may write data owned by <paramref name="ownerOrganisation"/>.</summary>
    public bool CanWrite(string ownerOrganisation) =>
        IsAdmin
        || (IsAuthenticated
            && SteeringScopes.Satisfies(Scopes, SteeringScopes.Write)
            && string.Equals(Organisation, ownerOrganisation, StringComparison.Ordinal));

    /// <summary>
    /// Why the caller may not call what <paramref name="policy"/> (a <see cref="SteeringPolicies"/> name) guards, or
    /// null when it may: read and write need their scope (or a higher one), admin the national organisation with the
    /// admin scope.
    /// </summary>
    public PermissionDeniedException? RefusalOf(string policy) => policy switch
    {
        _ when !IsAuthenticated => new PermissionDeniedException("CALLER_REQUIRED", "a valid token is required"),
        SteeringPolicies.Admin when !IsAdmin => new PermissionDeniedException(
            "ADMIN_REQUIRED", $"the organisation {Organisations.National} with the scope {SteeringScopes.Admin} is required"),
        SteeringPolicies.Admin => null,
        _ when !SteeringScopes.Satisfies(Scopes, policy) => new PermissionDeniedException(
            policy == SteeringPolicies.Write ? "WRITE_SCOPE_REQUIRED" : "READ_SCOPE_REQUIRED", $"the scope {policy} is required"),
        _ => null,
    };

    public void EnsureCanRead()
    {
        if (RefusalOf(SteeringPolicies.Read) is { } refusal)
        {
            throw refusal;
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

        throw RefusalOf(SteeringPolicies.Write) ?? new PermissionDeniedException(
            "OTHER_ORGANISATION",
            $"organisation '{Organisation}' may not write data owned by '{ownerOrganisation}'");
    }

    /// <summary>The caller described by a validated principal (anonymous when it is not authenticated or not a caller).</summary>
    public static Caller From(ClaimsPrincipal? principal) =>
        principal?.Identity?.IsAuthenticated == true && TryRead(principal, out var caller, out _) ? caller : Anonymous;

    /// <summary>
    /// Reads the caller of a validly signed token. A caller has exactly one <c>sub</c> (1..255 characters of text,
    /// not blank, no control characters) and exactly one <c>org</c> that is a known organisation code, spelt exactly
    /// (<see cref="Organisations.IsKnown"/>); anything else is no caller, and <paramref name="problem"/> says why.
    /// </summary>
    public static bool TryRead(
        ClaimsPrincipal principal, [NotNullWhen(true)] out Caller? caller, [NotNullWhen(false)] out string? problem)
    {
        ArgumentNullException.ThrowIfNull(principal);
        if (principal.Identity is CallerIdentity read)
        {
            (caller, problem) = (read.Caller, read.Problem);
            return read.Caller is not null;
        }

        return TryReadClaims(principal, out caller, out problem);
    }

    /// <summary><see cref="TryRead"/> from the claims themselves, for <see cref="CallerIdentity"/> to remember.</summary>
    internal static bool TryReadClaims(
        ClaimsPrincipal principal, [NotNullWhen(true)] out Caller? caller, [NotNullWhen(false)] out string? problem)
    {
        caller = null;
        var subjects = principal.FindAll(SteeringClaims.Subject).ToList();
        var organisations = principal.FindAll(SteeringClaims.Organisation).ToList();
        problem = (subjects, organisations) switch
        {
            ([], _) => "the token has no 'sub' claim",
            ([_, _, ..], _) => "the token has more than one 'sub' claim",
            ([var subject], _) when SubjectProblem(subject) is { } subjectProblem => subjectProblem,
            (_, []) => "the token has no 'org' claim",
            (_, [_, _, ..]) => "the 'org' claim must be one organisation code, not a list",
            (_, [var organisation]) when organisation.ValueType != ClaimValueTypes.String || !Organisations.IsKnown(organisation.Value) =>
                "the 'org' claim is not a known organisation code (exact spelling, e.g. \"national\", \"province-2025-52\")",
            _ => null,
        };
        if (problem is not null)
        {
            return false;
        }

        caller = new Caller(subjects[0].Value, organisations[0].Value, SteeringScopes.Of(principal));
        return true;
    }

    private static string? SubjectProblem(Claim subject) =>
        subject.ValueType == ClaimValueTypes.String ? SteeringClaims.ProblemWithSubject(subject.Value) : SteeringClaims.ProblemWithSubject(string.Empty);
}
