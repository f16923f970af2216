using System.Globalization;
using System.Net.Http.Headers;
using Egov.Steering.Access;
using Egov.Steering.Events.V1;
using Egov.Steering.TestSupport;

namespace Egov.Steering.Notifications.Tests;

/// <summary>The event stream as server-sent events on the distributed service (PostgreSQL log, RabbitMQ).</summary>
public sealed class ServerSentEventsTests
{
    private static readonly string Token = DevelopmentTokens.Mint("national", [SteeringScopes.Read], TimeSpan.FromHours(1), "sse-dashboard");

    [Fact]
    public async Task The_stream_replays_resumes_from_Last_Event_ID_and_goes_live_without_losing_or_repeating_an_event()
    {
        await using var host = await NotificationsHost.StartAsync(await NotificationsHost.NewSetupAsync());
        using var http = host.CreateHttpClient();
        var committee = new TestCommittee();
        var history = committee.Next(6);
        await host.SendAsync(history);
        await WatchEventsTests.WaitForLoggedAsync(host, committee.Name, history.Count);
        var query = $"v1/events:stream?filter.committees={Uri.EscapeDataString(committee.Name)}";

        List<ServerSentEvent> first;
        using (var stream = await OpenAsync(http, query + "&after_position=0", lastEventId: null))
        {
            first = await stream.Reader.ReadEventsAsync(3);
        }

        List<ServerSentEvent> rest, live;
        using (var stream = await OpenAsync(http, query, lastEventId: first[^1].Id))
        {
            rest = await stream.Reader.ReadEventsAsync(history.Count - first.Count);
            var more = committee.Next(2);
            await host.SendAsync(more);
            history.AddRange(more);
            live = await stream.Reader.ReadEventsAsync(more.Count);
        }

        var received = first.Concat(rest).Concat(live).ToList();
        Assert.Equal(history.Select(e => e.Id), received.Select(e => EventEnvelope.Parser.ParseJson(e.Data).Id));
        Assert.Equal(received.Select(e => EventEnvelope.Parser.ParseJson(e.Data).Position.ToString(CultureInfo.InvariantCulture)), received.Select(e => e.Id));
    }

    private static async Task<OpenStream> OpenAsync(HttpClient http, string uri, string? lastEventId)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return new OpenStream(request, response, new ServerSentEventReader(await response.Content.ReadAsStreamAsync()));
    }

    private sealed record OpenStream(HttpRequestMessage Request, HttpResponseMessage Response, ServerSentEventReader Reader) : IDisposable
    {
        public void Dispose()
        {
            Reader.Dispose();
            Response.Dispose();
            Request.Dispose();
        }
    }
}
