using Google.Rpc;
using Grpc.Core;

namespace Egov.Steering.Decisions.Tests.Support;

/// <summary>What a client reads from a failed call: the code and the rich details.</summary>
public static class Errors
{
    public static async Task<RpcException> CallFailsAsync(StatusCode expected, Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<RpcException>(call);
        Assert.True(error.StatusCode == expected, $"expected {expected}, got {error.StatusCode}: {error.Status.Detail}");
        return error;
    }

    public static IReadOnlyList<string> FieldViolations(this RpcException error) =>
        error.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations.Select(violation => violation.Field).ToList() ?? [];

    public static IReadOnlyList<string> PreconditionViolations(this RpcException error) =>
        error.GetRpcStatus()?.GetDetail<PreconditionFailure>()?.Violations.Select(violation => $"{violation.Subject}:{violation.Type}").ToList() ?? [];

    public static string Reason(this RpcException error) => error.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason ?? string.Empty;
}
