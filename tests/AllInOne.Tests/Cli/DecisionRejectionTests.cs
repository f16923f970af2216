using System.Net;
using Egov.Steering.Cli.Remote;
using Egov.Steering.Decisions.V1;
using Egov.Steering.Types.V1;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Egov.Steering.AllInOne.Tests.Cli;

/// <summary>
/// How <c>decisions issue</c> reports Membership's rejection. A rejection needs the register to change between issuing
/// and applying, which a sandbox cannot be made to do on cue, so a stand-in DecisionsService answers as the real one
/// does when Membership rejects: the decision ISSUED, then REJECTED with every reason.
/// </summary>
public sealed class DecisionRejectionTests : IAsyncLifetime
{
    private WebApplication? app;
    private string address = string.Empty;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton<RejectingDecisions>();
        app = builder.Build();
        app.MapGrpcService<RejectingDecisions>();
        await app.StartAsync();
        address = app.Urls.Single();
    }

    public async Task DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_rejected_decision_prints_every_reason_and_exits_6()
    {
        var result = await Steeringctl.RunAsync("decisions", "issue", "rejected", "--address", address, "--token", FeedSteps.ReadToken);

        Assert.Equal(ExitCodes.Problems, result.ExitCode);
        Assert.Contains("rejected: Membership applied nothing of decisions/rejected", result.Output, StringComparison.Ordinal);
        var rows = result.Output.Split('\n');
        Assert.Contains(rows, row => row.Contains("changes[0].appoint.entry", StringComparison.Ordinal) && row.Contains("SECOND_CHAIR", StringComparison.Ordinal));
        Assert.Contains(rows, row => row.Contains("changes[1].appoint.entry", StringComparison.Ordinal) && row.Contains("ALREADY_A_MEMBER", StringComparison.Ordinal));
    }

    private sealed class RejectingDecisions : DecisionsService.DecisionsServiceBase
    {
        private DecisionState state = DecisionState.Draft;

        public override Task<Decision> GetDecision(GetDecisionRequest request, ServerCallContext context)
        {
            var decision = Current(request.Name);
            // Membership answers after the first look at the issued decision.
            if (state == DecisionState.Issued)
            {
                state = DecisionState.Rejected;
            }

            return Task.FromResult(decision);
        }

        public override Task<Decision> IssueDecision(IssueDecisionRequest request, ServerCallContext context)
        {
            state = DecisionState.Issued;
            return Task.FromResult(Current(request.Name));
        }

        private Decision Current(string name) => new()
        {
            Name = name,
            Etag = state.ToString(),
            State = state,
            RejectionReasons =
            {
                state == DecisionState.Rejected
                    ? [
                        new ValidationProblem { Field = "changes[0].appoint.entry", Reason = "SECOND_CHAIR", Description = "the committee has a chair already" },
                        new ValidationProblem { Field = "changes[1].appoint.entry", Reason = "ALREADY_A_MEMBER", Description = "already a member" },
                    ]
                    : [],
            },
        };
    }
}
