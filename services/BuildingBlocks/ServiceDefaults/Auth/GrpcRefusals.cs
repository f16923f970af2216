using System.Globalization;
using System.Text;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;

namespace Egov.Steering.ServiceDefaults.Auth;

/// <summary>
/// Answers a gRPC call refused before its method runs as gRPC does, not with a bare HTTP 401/403 that only some
/// clients translate: HTTP 200, content-type application/grpc and a trailers-only response carrying grpc-status,
/// grpc-message and the google.rpc.Status (with its ErrorInfo reason) in grpc-status-details-bin.
/// </summary>
internal static class GrpcRefusals
{
    public static bool IsGrpc(HttpRequest request) =>
        request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true;

    public static Task WriteAsync(HttpResponse response, Google.Rpc.Status status)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.Headers["grpc-status"] = status.Code.ToString(CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = PercentEncode(status.Message);
        response.Headers["grpc-status-details-bin"] = Convert.ToBase64String(status.ToByteArray());
        return response.CompleteAsync();
    }

    // The gRPC spec: grpc-message is UTF-8 with every byte outside printable ASCII, and '%', percent-encoded.
    private static string PercentEncode(string message)
    {
        var encoded = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(message))
        {
            if (b is >= 0x20 and <= 0x7E and not (byte)'%')
            {
                encoded.Append((char)b);
            }
            else
            {
                encoded.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return encoded.ToString();
    }
}
