using Egov.Steering.ServiceDefaults.Errors;
using Egov.Steering.ServiceDefaults.Hosting;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.DependencyInjection;

namespace Egov.Steering.ServiceDefaults.Audit;

/// <summary>
/// Audits the refusals a method decides itself (e.g. OTHER_ORGANISATION once it has read whose committee it is),
/// with the resource its request names; refusals before the method runs are audited by the authorization step.
/// </summary>
public sealed class RefusedCallInterceptor(IServiceProvider services) : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request,
        ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        ArgumentNullException.ThrowIfNull(context);
        var call = ServerCallSteps.Continue(continuation, request, context);

        // An answer at hand (a cached view) is no refusal and needs no state machine to pass through.
        return call.IsCompletedSuccessfully ? call : AuditedAsync(request, context, call);
    }

    private async Task<TResponse> AuditedAsync<TRequest, TResponse>(TRequest request, ServerCallContext context, Task<TResponse> call)
    {
        try
        {
            return await call;
        }
        catch (ApiException refusal) when (refusal.Code is StatusCode.PermissionDenied or StatusCode.Unauthenticated)
        {
            if (services.GetService<RefusedCallLog>() is { } log)
            {
                await log.RecordAsync(context.GetHttpContext(), request as IMessage, refusal);
            }

            throw;
        }
    }
}
