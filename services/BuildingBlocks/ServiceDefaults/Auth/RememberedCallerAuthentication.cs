using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Features.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Egov.Steering.ServiceDefaults.Auth;

/// <summary>
/// Authentication of the calls that need a caller: an <c>Authorization: Bearer</c> token that
/// <see cref="CachingTokenHandler"/> remembers as naming a caller is that caller at once, set as ASP.NET Core's
/// authentication middleware sets it (<see cref="HttpContext.User"/> and the authenticate-result features authorization
/// reads). ASP.NET Core's path would create the scoped authentication service and handler provider, create and
/// initialise the bearer handler and rebuild the ticket on every call, only to reach the same remembered claims. A
/// request with no credentials at all (no Authorization header, no query string: probes, reflection, scrapes) stays
/// anonymous without a handler, as the middleware would leave it; a protected endpoint then challenges it as before.
/// Any other request (a new or expired token, one naming no caller, a token in the query) goes through that
/// middleware, its handler and its events; so does every request when a claims transformation is registered, which
/// the remembered caller would skip.
/// </summary>
internal sealed class RememberedCallerAuthentication
{
    private const string Bearer = "Bearer ";

    private readonly RequestDelegate next;
    private readonly AuthenticationMiddleware authentication;
    private readonly IOptionsMonitor<JwtBearerOptions> bearer;

    // Read from the first request's services (a transformation may be scoped); the registrations do not change after.
    private bool? transformsClaims;

    public RememberedCallerAuthentication(RequestDelegate next, IAuthenticationSchemeProvider schemes, IOptionsMonitor<JwtBearerOptions> bearer)
    {
        this.next = next;
        authentication = new AuthenticationMiddleware(next, schemes);
        this.bearer = bearer;
    }

    public Task InvokeAsync(HttpContext context)
    {
        transformsClaims ??= context.RequestServices.GetService<IClaimsTransformation>() is not (null or NoopClaimsTransformation);
        if (transformsClaims.Value)
        {
            return authentication.Invoke(context);
        }

        if (RecalledCaller(context.Request) is not { } caller)
        {
            // Nothing a handler could read a token from (the header, or QueryAccessToken's parameter): anonymous.
            return CarriesNoCredentials(context.Request) ? next(context) : authentication.Invoke(context);
        }

        var principal = new ClaimsPrincipal(caller);
        var authenticated = new Authenticated(AuthenticateResult.Success(new AuthenticationTicket(principal, JwtBearerDefaults.AuthenticationScheme)));
        context.User = principal;
        context.Features.Set<IHttpAuthenticationFeature>(authenticated);
        context.Features.Set<IAuthenticateResultFeature>(authenticated);
        return next(context);
    }

    private static bool CarriesNoCredentials(HttpRequest request) =>
        request.Headers.Authorization.Count == 0 && !request.QueryString.HasValue;

    private ClaimsIdentity? RecalledCaller(HttpRequest request) =>
        request.Headers.Authorization is [{ } header]
        && header.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase)
        && bearer.Get(JwtBearerDefaults.AuthenticationScheme).TokenHandlers is [CachingTokenHandler remembered]
        && remembered.TryRecallCaller(header[Bearer.Length..].Trim(), out var caller)
            ? caller
            : null;

    /// <summary>The features ASP.NET Core's middleware sets for a successful authentication, which behave as its own do.</summary>
    private sealed class Authenticated(AuthenticateResult result) : IAuthenticateResultFeature, IHttpAuthenticationFeature
    {
        private AuthenticateResult? result = result;
        private ClaimsPrincipal? user = result.Principal;

        public AuthenticateResult? AuthenticateResult
        {
            get => result;
            set => (result, user) = (value, value?.Principal);
        }

        // A user set later (by a test or a middleware) is no longer the authenticated result.
        public ClaimsPrincipal? User
        {
            get => user;
            set => (user, result) = (value, null);
        }
    }
}
