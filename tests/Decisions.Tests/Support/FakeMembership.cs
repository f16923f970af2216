using System.Collections.Concurrent;
using System.Net;
using Egov.Steering.Membership.V1;
using Egov.Steering.Types.V1;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Egov.Steering.Decisions.Tests.Support;

/// <summary>
/// Stands in for the Membership service over real gRPC (Kestrel, h2c, a port of its own): PreviewChanges answers the
/// problems a test sets and the subject committees it knows, GetCommittee knows the committees a test registers. The
/// real Membership is exercised by the end-to-end tests.
/// </summary>
public sealed class FakeMembership : MembershipService.MembershipServiceBase, IAsyncDisposable
{
    private readonly WebApplication app;

    private FakeMembership(WebApplication app) => this.app = app;

    /// <summary>The committees GetCommittee knows, by name.</summary>
    public ConcurrentDictionary<string, Committee> Committees { get; } = new();

    /// <summary>The problems PreviewChanges reports for a request (none by default).</summary>
    public Func<PreviewChangesRequest, IEnumerable<ValidationProblem>> Problems { get; set; } = _ => [];

    public ConcurrentQueue<PreviewChangesRequest> Previews { get; } = new();

    /// <summary>Whether PreviewChanges lists the subject committees it knows, as Membership does since it has that field.</summary>
    public bool AnswersSubjectCommittees { get; set; } = true;

    /// <summary>Awaited before PreviewChanges answers: a test holds a slow Membership here (none by default).</summary>
    public Func<PreviewChangesRequest, Task> Answering { get; set; } = _ => Task.CompletedTask;

    /// <summary>Holds the answer to <paramref name="decision"/>'s preview (others are answered at once) until the gate opens.</summary>
    public PreviewGate HoldPreviewOf(string decision)
    {
        var gate = new PreviewGate();
        Answering = preview => preview.Decision == decision ? gate.HoldAsync() : Task.CompletedTask;
        return gate;
    }

    /// <summary>The committee of every GetCommittee received, in arrival order.</summary>
    public ConcurrentQueue<string> CommitteeLookups { get; } = new();

    /// <summary>The Authorization header of every call received.</summary>
    public ConcurrentQueue<string> Authorizations { get; } = new();

    public Uri Address { get; private set; } = null!;

    public static async Task<FakeMembership> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        FakeMembership? fake = null;
        builder.Services.AddSingleton(_ => fake!);
        var app = builder.Build();
        fake = new FakeMembership(app);
        app.MapGrpcService<FakeMembership>();
        await app.StartAsync();
        fake.Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        fake.AddCommittee("committees/province-2025-52", CommitteeLevel.Province, "province-2025-52");
        fake.AddCommittee("committees/national", CommitteeLevel.National, "national");
        return fake;
    }

    public void AddCommittee(string name, CommitteeLevel level, string jurisdiction) =>
        Committees[name] = new Committee { Name = name, Level = level, Jurisdiction = jurisdiction, DisplayName = name };

    public override async Task<PreviewChangesResponse> PreviewChanges(PreviewChangesRequest request, ServerCallContext context)
    {
        Previews.Enqueue(request);
        Authorizations.Enqueue(context.RequestHeaders.GetValue("authorization") ?? string.Empty);
        await Answering(request);
        var response = new PreviewChangesResponse { Problems = { Problems(request) } };
        if (AnswersSubjectCommittees)
        {
            response.SubjectCommittees.Add(request.SubjectCommittees
                .Select(name => Committees.GetValueOrDefault(name))
                .OfType<Committee>()
                .Select(committee => new PreviewChangesResponse.Types.SubjectCommittee { Name = committee.Name, Level = committee.Level, Jurisdiction = committee.Jurisdiction }));
        }

        return response;
    }

    public override Task<Committee> GetCommittee(GetCommitteeRequest request, ServerCallContext context)
    {
        CommitteeLookups.Enqueue(request.Name);
        return Committees.TryGetValue(request.Name, out var committee)
            ? Task.FromResult(committee)
            : throw new RpcException(new Status(StatusCode.NotFound, $"{request.Name} not found"));
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

/// <summary>A slow Membership: <see cref="Previewing"/> completes when the preview arrived, which waits for <see cref="Open"/>.</summary>
public sealed class PreviewGate
{
    private readonly TaskCompletionSource previewing = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource answer = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Previewing => previewing.Task;

    public void Open() => answer.TrySetResult();

    internal Task HoldAsync()
    {
        previewing.TrySetResult();
        return answer.Task;
    }
}
