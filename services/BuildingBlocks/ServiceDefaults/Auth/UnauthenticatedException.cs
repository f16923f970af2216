using Egov.Steering.ServiceDefaults.Errors;
using Grpc.Core;
using Microsoft.AspNetCore.Authentication;
using Microsoft.IdentityModel.Tokens;

namespace Egov.Steering.ServiceDefaults.Auth;

/// <summary>UNAUTHENTICATED: the call carried no token that names a caller; the reason says what was wrong with it.</summary>
public sealed class UnauthenticatedException(string reason, string message)
    : ApiException(StatusCode.Unauthenticated, reason, message)
{
    /// <summary>Why authentication failed, from the bearer scheme's result (no result: no token was sent).</summary>
    public static UnauthenticatedException Of(AuthenticateResult? result, TimeSpan clockSkew) =>
        (result?.Failure is AggregateException { InnerExceptions: [var first, ..] } ? first : result?.Failure) switch
        {
            null => new("TOKEN_MISSING", "a bearer token is required (header authorization: Bearer <token>)"),
            SecurityTokenExpiredException expired => new(
                "TOKEN_EXPIRED",
                $"the token expired at {expired.Expires:yyyy-MM-ddTHH:mm:ssZ} (accepted until {clockSkew.TotalSeconds:0} s after, for clock skew)"),
            SecurityTokenNotYetValidException => new("TOKEN_NOT_YET_VALID", "the token is not valid yet (nbf)"),
            SecurityTokenNoExpirationException => new("TOKEN_EXPIRATION_REQUIRED", "the token has no expiry (exp)"),
            SecurityTokenInvalidSignatureException => new("TOKEN_SIGNATURE_INVALID", "the token is not signed by a key this service trusts"),
            SecurityTokenInvalidIssuerException => new("TOKEN_ISSUER_INVALID", "the token's issuer (iss) is not the one this service trusts"),
            SecurityTokenInvalidAudienceException => new("TOKEN_AUDIENCE_INVALID", "the token's audience (aud) is not this service"),
            InvalidCallerClaimsException claims => new("TOKEN_CLAIMS_INVALID", claims.Message),
            _ => new("TOKEN_INVALID", "the bearer token is malformed or invalid"),
        };
}

/// <summary>A validly signed token whose claims do not name a caller (see <see cref="Caller.TryRead"/>).</summary>
internal sealed class InvalidCallerClaimsException(string message) : SecurityTokenValidationException(message);
