using Egov.Steering.Decisions.V1;
using Egov.Steering.Integration.Tests.Support;
using Egov.Steering.Types.V1;
using static Egov.Steering.Integration.Tests.Support.GiaLai;

namespace Egov.Steering.Integration.Tests;

/// <summary>
/// An issued decision survives a broker restart between issue and apply: nothing acknowledged is lost. The consumer
/// watchdog checks every second, as in <see cref="ConsumerLossTests"/>: an endpoint MassTransit leaves stopped after the
/// restart is restarted within seconds rather than the two minutes of the default interval.
/// </summary>
public sealed class BrokerRestartTests() : OwnBrokerTest("integration-restart", (_, settings) => settings["Messaging:ConsumerCheckInterval"] = "00:00:01")
{
    [Fact]
    public async Task A_decision_issued_just_before_rabbitmq_restarts_is_still_applied()
    {
        var gialai = new GiaLai(Steering);
        var vo = await gialai.PersonAsync("Võ Ngọc Thành");

        var issued = await gialai.IssueAsync(Founding(vo));
        await Broker.StopAsync();
        await Broker.StartAsync();

        await Steering.ExplainingTimeoutAsync(() => gialai.OutcomeAsync(issued.Name), Broker.QueuesAsync);

        Assert.Equal([(vo, MembershipRole.Chair)], await gialai.MembersAsync());
    }
}
