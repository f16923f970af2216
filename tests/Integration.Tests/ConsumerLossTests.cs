using Egov.Steering.Decisions.V1;
using Egov.Steering.Integration.Tests.Support;
using Egov.Steering.Types.V1;
using static Egov.Steering.Integration.Tests.Support.GiaLai;

namespace Egov.Steering.Integration.Tests;

/// <summary>
/// The broker drops a service's consumer without telling the client, as a node stopping in a cluster once did to
/// Decisions (its outcome queue kept every message, unconsumed, while MassTransit reported the endpoint healthy):
/// the service notices from the broker's side and consumes again, so what was issued is still applied.
/// </summary>
public sealed class ConsumerLossTests() : OwnBrokerTest("integration-consumer-loss", (_, settings) => settings["Messaging:ConsumerCheckInterval"] = "00:00:01")
{
    [Fact]
    public async Task A_consumer_the_broker_dropped_silently_consumes_again_and_the_decision_is_applied()
    {
        var gialai = new GiaLai(Steering);
        var chair = await gialai.PersonAsync("Võ Ngọc Thành");
        await gialai.ApplyAsync(Founding(chair));
        var outcomes = (await QueueNamesAsync()).Single(queue => queue.EndsWith("-decisions-decision-outcome", StringComparison.Ordinal));

        await DropConsumerAsync(outcomes);

        var member = await gialai.PersonAsync("Thành viên mới");
        var issued = await gialai.IssueAsync(Draft("1001/QĐ-UBND", Day(2020, 1, 2), DecisionKind.Amend, Appoint(member, MembershipRole.Member)));
        await Steering.ExplainingTimeoutAsync(() => gialai.OutcomeAsync(issued.Name), Broker.QueuesAsync);
    }

    /// <summary>
    /// Cancels the one consumer of the quorum queue <paramref name="queue"/> in the queue itself, as a node going away
    /// can: the consuming channel is not told, so the client still believes it consumes.
    /// </summary>
    private async Task DropConsumerAsync(string queue)
    {
        var result = await Broker.CtlAsync("eval", $$"""
            [Q] = [Q || Q <- rabbit_amqqueue:list(), element(4, amqqueue:get_name(Q)) =:= <<"{{queue}}">>],
            [{ChannelPid, Tag}] = [{element(1, C), element(2, C)} || C <- rabbit_amqqueue:consumers(Q)],
            {ok, _, _} = ra:process_command(amqqueue:get_pid(Q), rabbit_fifo:make_checkout({Tag, ChannelPid}, cancel, #{})),
            ok.
            """);
        Assert.Equal("ok", result.Trim());
    }

    private async Task<IReadOnlyList<string>> QueueNamesAsync() =>
        (await Broker.CtlAsync("list_queues", "name", "--no-table-headers")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
