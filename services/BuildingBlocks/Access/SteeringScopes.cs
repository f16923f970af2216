using System.Security.Claims;

namespace Egov.Steering.Access;

/// <summary>
/// The scopes a token grants (claim <c>scope</c>, space-separated). They are ordered: admin implies write,
/// write implies read, so a token needs to carry only its highest scope.
/// </summary>
public static class SteeringScopes
{
    public const string Read = "steering.read";
    public const string Write = "steering.write";
    public const string Admin = "steering.admin";

    public const string ClaimType = "scope";

    // Lowest first: a scope grants everything at or below its position.
    private static readonly string[] Ordered = [Read, Write, Admin];

    public static IReadOnlyList<string> All => Ordered;

    /// <summary>Whether the <paramref name="granted"/> scopes allow what <paramref name="required"/> guards.</summary>
    public static bool Satisfies(IEnumerable<string> granted, string required)
    {
        var requiredRank = Array.IndexOf(Ordered, required);
        if (requiredRank < 0)
        {
            throw new ArgumentException($"'{required}' is not a steering scope", nameof(required));
        }

        return granted.Any(scope => Array.IndexOf(Ordered, scope) >= requiredRank);
    }

    /// <summary>
    /// The scopes of a principal; an identity provider may send one space-separated claim or one claim per scope.
    /// </summary>
    public static IReadOnlySet<string> Of(ClaimsPrincipal? principal) =>
        (principal?.FindAll(ClaimType) ?? [])
            .SelectMany(claim => claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToHashSet(StringComparer.Ordinal);
}
