using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Egov.Steering.ServiceDefaults.Auth;

/// <summary>
/// The JWT bearer handler, answering an <c>Authorization: Bearer</c> token that <see cref="CachingTokenHandler"/>
/// remembers as naming a caller straight from that memory: the full handler copies its validation parameters and
/// builds its event contexts on every call, only to reach the same remembered claims. Any other request (no token, a
/// new or expired one, one naming no caller, a token in the query) goes through the full handler and its events.
/// </summary>
internal sealed class RememberedTokenBearerHandler(IOptionsMonitor<JwtBearerOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : JwtBearerHandler(options, logger, encoder)
{
    private const string Bearer = "Bearer ";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Request.Headers.Authorization is [{ } header]
            && header.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase)
            && Options.TokenHandlers is [CachingTokenHandler remembered]
            && remembered.TryRecallCaller(header[Bearer.Length..].Trim(), out var claims))
        {
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(claims), Scheme.Name)));
        }

        return base.HandleAuthenticateAsync();
    }
}
