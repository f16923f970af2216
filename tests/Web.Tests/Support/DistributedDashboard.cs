using Egov.Steering.AllInOne;
using Egov.Steering.Decisions.V1;
using Egov.Steering.Integration.Tests.Support;
using Egov.Steering.Membership.V1;
using Egov.Steering.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace Egov.Steering.Web.Tests.Support;

/// <summary>
/// The distributed mode: Membership, Decisions and Notifications as separate hosts on the real PostgreSQL, RabbitMQ
/// and Redis (Integration.Tests' system). Notifications serves the page, whose config.json points at the other two,
/// which allow its origin (CORS) — the set-up of eng/run-distributed.sh. The register gets the article's national
/// committee and Gia Lai through the public APIs, as the sandbox loads them.
/// </summary>
public sealed class DistributedDashboard : DashboardFixture
{
    private SteeringSystem? system;

    public override Uri Dashboard => new(Running.Notifications.HttpAddress, Notifications.Dashboard.DashboardEndpoints.Path + "/");

    private SteeringSystem Running => system ?? throw new InvalidOperationException("the system is stopped");

    public override MembershipService.MembershipServiceClient Membership(string organisation) => Running.MembershipClient(organisation);

    public override DecisionsService.DecisionsServiceClient Decisions(string organisation) => Running.DecisionsClient(organisation);

    protected override async Task StartSystemAsync()
    {
        // Each service's ports are chosen before any starts: the page's origin and the APIs' must be known to each other.
        var ports = new[] { "membership", "decisions", "notifications" }
            .ToDictionary(service => service, _ => (Grpc: TestInfrastructure.FreePort(), Http: TestInfrastructure.FreePort()));
        var httpBase = (string service) => $"http://127.0.0.1:{ports[service].Http}";
        system = await SteeringSystem.StartAsync(TestInfrastructure.RabbitMqUri, configure: (service, settings) =>
        {
            settings["Hosting:GrpcPort"] = ports[service].Grpc.ToString(System.Globalization.CultureInfo.InvariantCulture);
            settings["Hosting:HttpPort"] = ports[service].Http.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (service == "notifications")
            {
                settings["Dashboard:MembershipApi"] = httpBase("membership");
                settings["Dashboard:DecisionsApi"] = httpBase("decisions");
            }
            else
            {
                settings["Web:Cors:AllowedOrigins:0"] = httpBase("notifications");
            }
        });

        var loader = new SampleDataLoader(new ConfigurationBuilder().Build(), NullLogger<SampleDataLoader>.Instance);
        await loader.LoadAsync(
            Running.Membership.Channel(bearerToken: null),
            Running.Decisions.Channel(bearerToken: null),
            file => file.StartsWith("10-", StringComparison.Ordinal) || file.StartsWith("20-", StringComparison.Ordinal),
            CancellationToken.None);
    }

    protected override async Task StopSystemAsync()
    {
        if (system is not null)
        {
            await system.DisposeAsync();
        }
    }
}
