using System.Net;
using System.Net.Http.Headers;
using Egov.Steering.Events.V1;
using Egov.Steering.Notifications.V1;
using Egov.Steering.ServiceDefaults.Web;
using Egov.Steering.TestSupport;
using Google.Protobuf;

namespace Egov.Steering.AllInOne.Tests.Web;

/// <summary>WatchEvents as server-sent events (GET /v1/events:stream): the same feed, filters, limits and authorization.</summary>
[Collection(WebSandboxCollection.Name)]
public sealed class EventStreamTests(WebSandboxFixture sandbox)
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithTypeRegistry(JsonStatus.DetailTypes));

    [Fact]
    public async Task Resuming_from_Last_Event_ID_neither_loses_nor_repeats_events_and_each_is_the_logged_envelope()
    {
        var logged = (await new NotificationsService.NotificationsServiceClient(sandbox.Channel)
            .ListEventsAsync(new ListEventsRequest { PageSize = 40 }, sandbox.Admin)).Events;

        List<ServerSentEvent> first, second;
        await using (var stream = await OpenAsync("v1/events:stream?after_position=0", WebSandboxFixture.AdminToken))
        {
            first = await stream.ReadEventsAsync(20);
        }

        await using (var stream = await OpenAsync("v1/events:stream", WebSandboxFixture.AdminToken, lastEventId: first[^1].Id))
        {
            second = await stream.ReadEventsAsync(20);
        }

        var received = first.Concat(second).Select(e => EventEnvelope.Parser.ParseJson(e.Data)).ToList();
        Assert.Equal(logged, received);
        Assert.Equal(logged.Select(e => e.Position.ToString(System.Globalization.CultureInfo.InvariantCulture)), first.Concat(second).Select(e => e.Id));
    }

    [Fact]
    public async Task A_filtered_stream_sends_only_matching_events_and_a_bad_filter_is_400_invalid_argument()
    {
        var applied = DecisionApplied.Descriptor.FullName;
        await using (var stream = await OpenAsync($"v1/events:stream?after_position=0&filter.event_types={applied}", WebSandboxFixture.AdminToken))
        {
            var events = await stream.ReadEventsAsync(3);
            Assert.All(events, e => Assert.Equal(applied, EventEnvelope.Parser.ParseJson(e.Data).Type));
        }

        var refusal = await RefusedAsync("v1/events:stream?filter.levels=NOT_A_LEVEL", WebSandboxFixture.AdminToken);
        Assert.Equal((HttpStatusCode.BadRequest, Grpc.Core.StatusCode.InvalidArgument), (refusal.Http, (Grpc.Core.StatusCode)refusal.Status.Code));
        Assert.Contains("filter.levels", refusal.Status.Details.Single(d => d.Is(Google.Rpc.BadRequest.Descriptor)).Unpack<Google.Rpc.BadRequest>().FieldViolations.Select(v => v.Field));
    }

    [Fact]
    public async Task A_quiet_live_stream_sends_heartbeats_whose_id_is_the_position_to_resume_after()
    {
        await using var stream = await OpenAsync("v1/events:stream", WebSandboxFixture.AdminToken);
        var first = await stream.ReadAsync();
        var second = await stream.ReadAsync();

        Assert.All([first, second], beat =>
        {
            Assert.Equal("heartbeat", beat.Event);
            var heartbeat = Heartbeat.Parser.ParseJson(beat.Data);
            Assert.Equal(heartbeat.Position.ToString(System.Globalization.CultureInfo.InvariantCulture), beat.Id);
            Assert.True(heartbeat.Position > 0);
        });
    }

    [Fact]
    public async Task The_token_may_come_as_access_token_on_the_stream_only_and_a_stream_without_one_is_401()
    {
        await using (var stream = await OpenAsync($"v1/events:stream?access_token={WebSandboxFixture.AdminToken}", token: null))
        {
            Assert.Equal("heartbeat", (await stream.ReadAsync()).Event);
        }

        var anonymous = await RefusedAsync("v1/events:stream", token: null);
        Assert.Equal((HttpStatusCode.Unauthorized, Grpc.Core.StatusCode.Unauthenticated), (anonymous.Http, (Grpc.Core.StatusCode)anonymous.Status.Code));
        var elsewhere = await RefusedAsync($"v1/nationalOverview?access_token={WebSandboxFixture.AdminToken}", token: null);
        Assert.Equal(HttpStatusCode.Unauthorized, elsewhere.Http);
    }

    // A caller of its own: the other tests' streams (closed, but maybe not yet noticed) do not count against it.
    private static readonly string LimitedCaller = Egov.Steering.Access.DevelopmentTokens.Mint(
        "province-2025-52", [Egov.Steering.Access.SteeringScopes.Read], TimeSpan.FromHours(1), subject: "stream-limit-test");

    [Fact]
    public async Task Streams_beyond_the_callers_limit_are_refused_429_resource_exhausted()
    {
        var streams = new List<SseStream>();
        try
        {
            for (var i = 0; i < WebSandboxFixture.MaxStreamsPerCaller; i++)
            {
                var stream = await OpenAsync("v1/events:stream", LimitedCaller);
                streams.Add(stream);
                await stream.ReadAsync(); // admitted: its first heartbeat came
            }

            var refusal = await RefusedAsync("v1/events:stream", LimitedCaller);
            Assert.Equal((HttpStatusCode.TooManyRequests, Grpc.Core.StatusCode.ResourceExhausted), (refusal.Http, (Grpc.Core.StatusCode)refusal.Status.Code));
            Assert.Equal("TOO_MANY_STREAMS_FOR_CALLER", refusal.Status.Details.Single(d => d.Is(Google.Rpc.ErrorInfo.Descriptor)).Unpack<Google.Rpc.ErrorInfo>().Reason);
        }
        finally
        {
            foreach (var stream in streams)
            {
                await stream.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task The_transcoded_WatchEvents_stream_sends_the_same_events_as_grpc()
    {
        var logged = (await new NotificationsService.NotificationsServiceClient(sandbox.Channel)
            .ListEventsAsync(new ListEventsRequest { PageSize = 5 }, sandbox.Admin)).Events;
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/events:watch?after_position=0");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", WebSandboxFixture.AdminToken);
        using var response = await sandbox.StreamHttp.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var received = new List<EventEnvelope>();
        while (received.Count < logged.Count && await reader.ReadLineAsync() is { } line)
        {
            if (line.Length > 0)
            {
                received.Add(WatchEventsResponse.Parser.ParseJson(line).Event);
            }
        }

        Assert.Equal(logged, received);
    }

    private async Task<SseStream> OpenAsync(string uri, string? token, string? lastEventId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        var response = await sandbox.StreamHttp.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {(response.IsSuccessStatusCode ? string.Empty : await response.Content.ReadAsStringAsync())}");
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return new SseStream(request, response, new ServerSentEventReader(await response.Content.ReadAsStreamAsync()));
    }

    private async Task<(HttpStatusCode Http, Google.Rpc.Status Status)> RefusedAsync(string uri, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await sandbox.Http.SendAsync(request);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return (response.StatusCode, Parser.Parse<Google.Rpc.Status>(await response.Content.ReadAsStringAsync()));
    }

    private sealed class SseStream(HttpRequestMessage request, HttpResponseMessage response, ServerSentEventReader reader) : IAsyncDisposable
    {
        public Task<ServerSentEvent> ReadAsync() => reader.ReadAsync();

        public Task<List<ServerSentEvent>> ReadEventsAsync(int count) => reader.ReadEventsAsync(count);

        public ValueTask DisposeAsync()
        {
            reader.Dispose();
            response.Dispose();
            request.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
