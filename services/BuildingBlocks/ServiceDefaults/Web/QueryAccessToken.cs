using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Egov.Steering.ServiceDefaults.Web;

/// <summary>
/// Marks an endpoint that also takes its bearer token from the <c>access_token</c> query parameter, because browsers'
/// EventSource cannot send an Authorization header (RFC 6750 §2.3). Only endpoints carrying this metadata (the event
/// stream) accept it; an Authorization header still wins.
/// </summary>
public sealed class QueryAccessToken
{
    public const string ParameterName = "access_token";

    private QueryAccessToken()
    {
    }

    public static QueryAccessToken Allowed { get; } = new();

    internal static void Accept(IServiceCollection services) =>
        services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, jwt =>
        {
            jwt.Events ??= new JwtBearerEvents();
            var inner = jwt.Events.OnMessageReceived;
            jwt.Events.OnMessageReceived = async context =>
            {
                await inner(context);
                if (context.Token is null
                    && !context.Request.Headers.ContainsKey("Authorization")
                    && context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<QueryAccessToken>() is not null
                    && context.Request.Query.TryGetValue(ParameterName, out var token))
                {
                    context.Token = token.ToString();
                }
            };
        });
}
