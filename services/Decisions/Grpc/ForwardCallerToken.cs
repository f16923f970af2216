using Microsoft.Net.Http.Headers;

namespace Egov.Steering.Decisions.Grpc;

/// <summary>
/// Calls Membership with the token of the request being served: Membership checks the same caller (its scopes and
/// organisation) on its public methods rather than trusting this service with a broader identity of its own. Its
/// service-only methods (PreviewChanges) authorize this service by its client certificate (mutual TLS, see
/// ServiceDefaults' <c>ServiceIdentity</c>); the token still says for whom the service called.
/// </summary>
internal sealed class ForwardCallerToken(IHttpContextAccessor http) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (http.HttpContext?.Request.Headers[HeaderNames.Authorization].ToString() is { Length: > 0 } authorization)
        {
            request.Headers.TryAddWithoutValidation(HeaderNames.Authorization, authorization);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
