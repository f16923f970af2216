using Egov.Steering.Access;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Egov.Steering.BuildingBlocks.Tests.Auth;

/// <summary>What the authentication tests share: tokens the minting would refuse, and a count of full bearer runs.</summary>
internal static class AuthTestKit
{
    /// <summary>
    /// A token signed with the development key for its issuer and audience, carrying exactly <paramref name="claims"/>:
    /// validly signed claims that name no caller, which <see cref="DevelopmentTokens.Mint"/> refuses to mint.
    /// </summary>
    public static string SignedDevelopmentToken(Dictionary<string, object> claims, DateTime expires, DateTime? issuedAt = null) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = DevelopmentTokens.Issuer,
            Audience = DevelopmentTokens.Audience,
            // Unset, the handler stamps the wall clock's second, which may lie after a test clock read a moment before.
            IssuedAt = issuedAt,
            NotBefore = issuedAt,
            Expires = expires,
            Claims = claims,
            SigningCredentials = new SigningCredentials(DevelopmentTokens.Key, SecurityAlgorithms.HmacSha256),
        });

    /// <summary>Calls <paramref name="counted"/> each time a request goes through the full JWT bearer handler (its first event).</summary>
    public static void CountFullBearerRuns(IServiceCollection services, Action counted) =>
        services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, jwt =>
        {
            var inner = jwt.Events.OnMessageReceived;
            jwt.Events.OnMessageReceived = context =>
            {
                counted();
                return inner(context);
            };
        });
}
