using Egov.Steering.Membership.Domain;
using Egov.Steering.Membership.Domain.Decisions;
using Egov.Steering.Membership.V1;
using Egov.Steering.Membership.Views;
using Egov.Steering.ServiceDefaults.Serialized;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using static Egov.Steering.Membership.Tests.Domain.Scenario;
using static Egov.Steering.Membership.Tests.Grpc.MembershipApiHost;

namespace Egov.Steering.Membership.Tests.Grpc;

/// <summary>
/// GetCommitteeView and GetNationalOverview answer the cached view's bytes as they are: byte for byte the view built
/// afresh from the database, the same bytes on every hit, and the new view's bytes once a decision changed it.
/// </summary>
public sealed class CachedViewBytesTests(MembershipApiHost host) : IClassFixture<MembershipApiHost>
{
    private static readonly DateOnly AsOf = new(2021, 1, 1);

    private static readonly Method<GetCommitteeViewRequest, SerializedMessage> CommitteeViewMethod =
        SerializedMethods.Unary(MembershipService.Descriptor, "GetCommitteeView", GetCommitteeViewRequest.Parser);

    private static readonly Method<GetNationalOverviewRequest, SerializedMessage> OverviewMethod =
        SerializedMethods.Unary(MembershipService.Descriptor, "GetNationalOverview", GetNationalOverviewRequest.Parser);

    [Fact]
    public async Task Views_are_answered_as_the_bytes_of_the_view_built_afresh_and_a_change_replaces_them()
    {
        var committeeRequest = new GetCommitteeViewRequest { Committee = "committees/bcd-gia-lai", AsOf = CommitteeApiTests.Day(2021, 1, 1) };
        var overviewRequest = new GetNationalOverviewRequest { AsOf = CommitteeApiTests.Day(2021, 1, 1) };

        var committeeView = await CallAsync(CommitteeViewMethod, committeeRequest);
        var overview = await CallAsync(OverviewMethod, overviewRequest);
        Assert.Equal(committeeView, await CallAsync(CommitteeViewMethod, committeeRequest));
        Assert.Equal(overview, await CallAsync(OverviewMethod, overviewRequest));
        Assert.Equal(await FreshCommitteeViewAsync(committeeView), committeeView);
        Assert.Equal(await FreshOverviewAsync(overview), overview);
        Assert.Equal("Trương Hải Long", CommitteeView.Parser.ParseFrom(committeeView).Memberships[0].PersonDisplayName);

        // The chair's post gets another holder from before the view's date: both views show it.
        await host.ApplyAsync(new DecisionToApply("qd-1200", "1200/QĐ-UBND", D(2020, 12, 1), [DecisionKind.Amend], [], GiaLai2020,
            [new AssignPostHolder("changes[0].assign_post_holder", null, "chu-tich-gia-lai", "vo-ngoc-thanh")]));

        var changedView = await CallAsync(CommitteeViewMethod, committeeRequest);
        var changedOverview = await CallAsync(OverviewMethod, overviewRequest);
        Assert.Equal("Võ Ngọc Thành", CommitteeView.Parser.ParseFrom(changedView).Memberships[0].PersonDisplayName);
        Assert.Equal("Võ Ngọc Thành", NationalOverview.Parser.ParseFrom(changedOverview).Rows.Single(r => r.Organisation == GiaLai2020).ChairDisplayName);
        Assert.Equal(await FreshCommitteeViewAsync(changedView), changedView);
        Assert.Equal(await FreshOverviewAsync(changedOverview), changedOverview);
    }

    [Fact]
    public async Task A_malformed_request_or_an_unknown_committee_is_refused_as_before()
    {
        var malformed = await Assert.ThrowsAsync<RpcException>(() =>
            CallAsync(CommitteeViewMethod, new GetCommitteeViewRequest { Committee = "bcd-gia-lai" }));
        Assert.Equal(StatusCode.InvalidArgument, malformed.StatusCode);
        var unknown = await Assert.ThrowsAsync<RpcException>(() =>
            CallAsync(CommitteeViewMethod, new GetCommitteeViewRequest { Committee = "committees/khong-co" }));
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);

        // Field 1 says 255 bytes follow, and none do: not a message at all.
        var raw = new Method<byte[], SerializedMessage>(
            MethodType.Unary, CommitteeViewMethod.ServiceName, CommitteeViewMethod.Name, Marshallers.Create(bytes => bytes, bytes => bytes), SerializedMessage.Marshaller);
        var notAMessage = await Assert.ThrowsAsync<RpcException>(() => CallAsync(raw, [0x0A, 0xFF, 0x01]));
        Assert.Equal(StatusCode.InvalidArgument, notAMessage.StatusCode);
    }

    private async Task<byte[]> CallAsync<TRequest>(Method<TRequest, SerializedMessage> method, TRequest request)
        where TRequest : class
    {
        var response = await host.ReaderChannel().CreateCallInvoker().AsyncUnaryCall(method, null, new CallOptions(), request);
        return response.Bytes;
    }

    // Built from the database with a cache of its own, at the time the served view says it evaluated compliance.
    private Task<byte[]> FreshCommitteeViewAsync(byte[] served) =>
        FreshAsync(CommitteeView.Parser.ParseFrom(served).Compliance?.EvaluateTime, views => views.GetCommitteeViewAsync("bcd-gia-lai", AsOf, CancellationToken.None));

    private Task<byte[]> FreshOverviewAsync(byte[] served) =>
        FreshAsync(NationalOverview.Parser.ParseFrom(served).NationalCommittee?.Compliance?.EvaluateTime, views => views.GetNationalOverviewAsync(AsOf, CancellationToken.None));

    private async Task<byte[]> FreshAsync<T>(Google.Protobuf.WellKnownTypes.Timestamp? evaluated, Func<CommitteeViews, Task<T>> read)
        where T : IMessage<T>
    {
        await using var scope = host.Services.CreateAsyncScope();
        using var cache = new ViewCache(Options.Create(new ViewCacheOptions()), host.Services.GetRequiredService<MembershipMetrics>(), NullLogger<ViewCache>.Instance);
        var clock = new MembershipClock(new FakeTimeProvider(evaluated?.ToDateTimeOffset() ?? DateTimeOffset.UnixEpoch));
        var views = ActivatorUtilities.CreateInstance<CommitteeViews>(scope.ServiceProvider, cache, clock);
        return (await read(views)).ToByteArray();
    }
}
