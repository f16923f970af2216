using Egov.Steering.Access;
using Egov.Steering.AllInOne;
using Egov.Steering.AllInOne.Tests;
using Egov.Steering.Decisions.V1;
using Egov.Steering.Membership.V1;
using Egov.Steering.ServiceDefaults.Hosting;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Configuration;

namespace Egov.Steering.Web.Tests.Support;

/// <summary>The sandbox as a user starts it (AllInOne.Tests' fixture: the sample data loaded), serving the page itself.</summary>
public sealed class SandboxDashboard : DashboardFixture
{
    private readonly SandboxFixture sandbox = new();

    public override Uri Dashboard =>
        new($"http://127.0.0.1:{sandbox.App.Configuration.GetValue<int>(KestrelExtensions.HttpPortKey)}{Notifications.Dashboard.DashboardEndpoints.Path}/");

    /// <summary>The dashboard's address as the sandbox's banner prints it.</summary>
    public string BannerDashboardAddress() =>
        SandboxBanner.Text(sandbox.App, "the admin token", ReaderToken).Split('\n').Select(line => line.Trim())
            .Single(line => line.StartsWith("http://", StringComparison.Ordinal) && line.Contains("/dashboard/", StringComparison.Ordinal));

    public override MembershipService.MembershipServiceClient Membership(string organisation) => new(Writer(organisation));

    public override DecisionsService.DecisionsServiceClient Decisions(string organisation) => new(Writer(organisation));

    /// <summary>Stops the sandbox as Ctrl+C does and starts it again (same data, same ports): its streams end meanwhile.</summary>
    public Task RestartAsync() => sandbox.RestartAsync();

    protected override Task StartSystemAsync() => sandbox.InitializeAsync();

    protected override Task StopSystemAsync() => sandbox.DisposeAsync();

    private Grpc.Core.CallInvoker Writer(string organisation)
    {
        var token = DevelopmentTokens.Mint(organisation, [SteeringScopes.Read, SteeringScopes.Write], TimeSpan.FromHours(1));
        return sandbox.Channel.Intercept(metadata =>
        {
            metadata.Add("Authorization", "Bearer " + token);
            return metadata;
        });
    }
}
