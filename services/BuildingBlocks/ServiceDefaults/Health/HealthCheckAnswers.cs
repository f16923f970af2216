using Egov.Steering.ServiceDefaults.Serialized;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.HealthCheck;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Egov.Steering.ServiceDefaults.Health;

/// <summary>
/// grpc.health.v1.Health/Check answered as bytes: the status <see cref="HealthServiceImpl"/> holds for the service
/// asked (the last published result) as one of its four answers, serialized once, where Grpc.AspNetCore's health
/// service is created for every probe and serializes a new response. An unknown service is NOT_FOUND, as there;
/// Watch stays that service's.
/// </summary>
public sealed class HealthCheckAnswers(HealthServiceImpl statuses) : ISerializedMethods<HealthCheckAnswers>
{
    private static readonly Dictionary<ServingStatus, Task<SerializedMessage>> Answers = Enum.GetValues<ServingStatus>()
        .ToDictionary(status => status, status => Task.FromResult(SerializedMessage.Of(new HealthCheckResponse { Status = status })));

    public static void Bind(SerializedMethodBinder<HealthCheckAnswers> binder)
    {
        ArgumentNullException.ThrowIfNull(binder);
        binder.Unary(
            Grpc.Health.V1.Health.Descriptor, nameof(Grpc.Health.V1.Health.HealthBase.Check), HealthCheckRequest.Parser,
            (answers, request, call) => answers.Check(request, call));
    }

    // HealthServiceImpl answers from its map at once, or throws NOT_FOUND.
    private Task<SerializedMessage> Check(HealthCheckRequest request, ServerCallContext call)
    {
        var answered = statuses.Check(request, call);
        return answered.IsCompletedSuccessfully ? Answers[answered.Result.Status] : AnswerAsync(answered);
    }

    private static async Task<SerializedMessage> AnswerAsync(Task<HealthCheckResponse> answered) => await Answers[(await answered).Status];
}
