using Egov.Steering.Membership.Domain;
using Egov.Steering.Membership.Views;
using Egov.Steering.Membership.Mapping;
using Egov.Steering.ServiceDefaults.Serialized;
using Egov.Steering.ServiceDefaults.Validation;
using Grpc.Core;
using V1 = Egov.Steering.Membership.V1;

namespace Egov.Steering.Membership.Grpc;

/// <summary>
/// MembershipService's GetCommitteeView and GetNationalOverview over gRPC, answered with the cached view's bytes as
/// they are: a hit in this replica's copy costs a dictionary lookup (no DbContext, no scope, no parse or
/// serialization); a miss builds the view in the call's scope through <see cref="CommitteeViews"/>. Mapped ahead of
/// <see cref="MembershipGrpcService"/>, whose methods of the same names answer the same views as messages.
/// </summary>
public sealed class CachedViewMethods(ViewCache cache, MembershipClock clock) : ISerializedMethods<CachedViewMethods>
{
    public static void Bind(SerializedMethodBinder<CachedViewMethods> binder)
    {
        ArgumentNullException.ThrowIfNull(binder);
        var service = V1.MembershipService.Descriptor;
        binder.Unary(
            service, nameof(V1.MembershipService.MembershipServiceBase.GetCommitteeView), V1.GetCommitteeViewRequest.Parser,
            (methods, request, call) => methods.GetCommitteeViewAsync(request, call));
        binder.Unary(
            service, nameof(V1.MembershipService.MembershipServiceBase.GetNationalOverview), V1.GetNationalOverviewRequest.Parser,
            (methods, request, call) => methods.GetNationalOverviewAsync(request, call));
    }

    /// <summary>The committee id and date a GetCommitteeView asks for, or INVALID_ARGUMENT.</summary>
    internal static (string Committee, DateOnly AsOf) Read(V1.GetCommitteeViewRequest request, DateOnly today)
    {
        var validator = new RequestValidator();
        var id = validator.Id("committee", request.Committee, ResourceNames.Committee);
        var date = validator.AsOf(request.AsOf, today);
        validator.ThrowIfInvalid();
        return (id!, date);
    }

    /// <summary>The date a GetNationalOverview asks for, or INVALID_ARGUMENT.</summary>
    internal static DateOnly Read(V1.GetNationalOverviewRequest request, DateOnly today)
    {
        var validator = new RequestValidator();
        var date = validator.AsOf(request.AsOf, today);
        validator.ThrowIfInvalid();
        return date;
    }

    private Task<SerializedMessage> GetCommitteeViewAsync(V1.GetCommitteeViewRequest request, ServerCallContext call)
    {
        var (committee, date) = Read(request, clock.Today);
        return AnswerAsync(ViewKeys.Committee(committee), date, call, views => views.GetCommitteeViewBytesAsync(committee, date, call.CancellationToken));
    }

    private Task<SerializedMessage> GetNationalOverviewAsync(V1.GetNationalOverviewRequest request, ServerCallContext call)
    {
        var date = Read(request, clock.Today);
        return AnswerAsync(ViewKeys.Overview, date, call, views => views.GetNationalOverviewBytesAsync(date, call.CancellationToken));
    }

    // A miss reads through the call's own services (its scope is created only then).
    private Task<SerializedMessage> AnswerAsync(string view, DateOnly date, ServerCallContext call, Func<CommitteeViews, Task<byte[]>> read) =>
        cache.TryGetLocal(view, date) is { } bytes
            ? Task.FromResult(new SerializedMessage(bytes))
            : ReadAsync(read(call.GetHttpContext().RequestServices.GetRequiredService<CommitteeViews>()));

    private static async Task<SerializedMessage> ReadAsync(Task<byte[]> bytes) => new(await bytes);
}
