using Egov.Steering.ServiceDefaults.Audit;
using Egov.Steering.ServiceDefaults.Errors;
using Egov.Steering.ServiceDefaults.Hosting;
using Egov.Steering.ServiceDefaults.Telemetry;
using Egov.Steering.ServiceDefaults.Validation;
using Egov.Steering.Testing.V1;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Egov.Steering.BuildingBlocks.Tests.ServiceDefaults;

/// <summary>
/// The four steps of every call, chained once per method: each call still passes all of them in order, and an answer
/// the method has at hand passes them as it is (the steps add no task of their own).
/// </summary>
public sealed class ServerCallStepsTests
{
    private static readonly DateTime CallDeadline = new(2026, 12, 6, 9, 0, 0, DateTimeKind.Utc);

    private readonly ServerCallSteps steps;

    public ServerCallStepsTests()
    {
        var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        steps = new ServerCallSteps(
            new ExceptionMappingInterceptor(ActivatorUtilities.CreateInstance<ServiceMetrics>(services), NullLogger<ExceptionMappingInterceptor>.Instance),
            new RefusedCallInterceptor(services),
            new CallDeadlineInterceptor(),
            new RequestInputInterceptor());
    }

    [Fact]
    public async Task Every_call_of_a_method_passes_every_step_in_order()
    {
        var seen = new List<(string Failure, DateTime? CallDeadline)>();
        UnaryServerMethod<FailRequest, FailResponse> method = (request, _) =>
        {
            seen.Add((request.Failure, CallDeadlines.Current));
            return request.Failure == "permission"
                ? Task.FromException<FailResponse>(new PermissionDeniedException("NOT_OWNER", "committees/gia-lai belongs to another province"))
                : Task.FromResult(new FailResponse { Note = "answered" });
        };

        for (var call = 0; call < 2; call++)
        {
            // The request's text is normalised (NFC) before the method sees it; the deadline is current inside it only.
            Assert.Equal("answered", (await steps.UnaryServerHandler(new FailRequest { Failure = "Ha\u0300 Giang" }, new Call(), method)).Note);
            Assert.Null(CallDeadlines.Current);

            // A refusal the method decides becomes its status; a request breaking the limits never reaches the method.
            var refused = await Assert.ThrowsAsync<RpcException>(() => steps.UnaryServerHandler(new FailRequest { Failure = "permission" }, new Call(), method));
            Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
            var invalid = await Assert.ThrowsAsync<RpcException>(() => steps.UnaryServerHandler(new FailRequest { Failure = "nul\0" }, new Call(), method));
            Assert.Equal(StatusCode.InvalidArgument, invalid.StatusCode);
        }

        Assert.Equal(
            [("H\u00e0 Giang", CallDeadline), ("permission", CallDeadline), ("H\u00e0 Giang", CallDeadline), ("permission", CallDeadline)],
            seen);
    }

    [Fact]
    public void An_answer_at_hand_passes_the_steps_as_it_is()
    {
        var answer = Task.FromResult(new FailResponse { Note = "cached" });

        var passed = steps.UnaryServerHandler(new FailRequest(), new Call(), (_, _) => answer);

        Assert.Same(answer, passed);
    }

    [Fact]
    public async Task A_method_of_another_kind_gets_its_own_chain()
    {
        var written = new List<string>();
        var stream = new Writer(written);
        ServerStreamingServerMethod<FailRequest, FailResponse> streaming = async (request, responses, _) =>
        {
            await responses.WriteAsync(new FailResponse { Note = $"{request.Failure} until {CallDeadlines.Current:O}" });
        };

        await steps.ServerStreamingServerHandler(new FailRequest { Failure = "events" }, stream, new Call(), streaming);
        var refused = await Assert.ThrowsAsync<RpcException>(() =>
            steps.ServerStreamingServerHandler(new FailRequest { Failure = "nul\0" }, stream, new Call(), streaming));

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Equal([$"events until {CallDeadline:O}"], written);
    }

    private sealed class Writer(List<string> written) : IServerStreamWriter<FailResponse>
    {
        public WriteOptions? WriteOptions { get; set; }

        public Task WriteAsync(FailResponse message)
        {
            written.Add(message.Note);
            return Task.CompletedTask;
        }
    }

    /// <summary>A call as gRPC hosted by ASP.NET Core hands it to interceptors: with its HttpContext and a deadline.</summary>
    private sealed class Call : ServerCallContext
    {
        public Call() => UserState["__HttpContext"] = new DefaultHttpContext();

        protected override string MethodCore => "/egov.steering.testing.v1.ProbeService/Fail";

        protected override string HostCore => "localhost";

        protected override string PeerCore => "ipv4:127.0.0.1:50000";

        protected override DateTime DeadlineCore => CallDeadline;

        protected override Metadata RequestHeadersCore { get; } = [];

        protected override CancellationToken CancellationTokenCore => CancellationToken.None;

        protected override Metadata ResponseTrailersCore { get; } = [];

        protected override Status StatusCore { get; set; }

        protected override WriteOptions? WriteOptionsCore { get; set; }

        protected override AuthContext AuthContextCore => new(null, []);

        protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) => throw new NotSupportedException();

        protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;
    }
}
