using System.Security.Claims;
using Microsoft.IdentityModel.Tokens;

namespace Egov.Steering.ServiceDefaults.Auth;

/// <summary>
/// A validated token's claims with the caller they name, or why they name none, read once per token
/// (<see cref="CachingTokenHandler"/>): the token check, the policies and the services ask <see cref="Caller.TryRead"/>,
/// which answers from here instead of reading the claims again on every call. Claim types compare exactly, as the
/// token handler's own identity does.
/// </summary>
internal sealed class CallerIdentity : CaseSensitiveClaimsIdentity
{
    private CallerIdentity(ClaimsIdentity claims, Caller? caller, string? problem)
        : base(claims)
    {
        Caller = caller;
        Problem = problem;
    }

    public Caller? Caller { get; }

    public string? Problem { get; }

    /// <summary>The claims of a token the signature and lifetime checks accepted, and the caller they name.</summary>
    public static CallerIdentity Read(ClaimsIdentity claims)
    {
        var caller = Caller.TryReadClaims(new ClaimsPrincipal(claims), out var named, out var problem) ? named : null;
        return new CallerIdentity(claims, caller, problem);
    }

    /// <summary>Each call gets its own copy of the claims, with the same reading (claims are not added after validation).</summary>
    public override ClaimsIdentity Clone() => new CallerIdentity(this, Caller, Problem);
}
