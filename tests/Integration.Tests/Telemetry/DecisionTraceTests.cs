using System.Collections.Concurrent;
using System.Diagnostics;
using Egov.Steering.Events.V1;
using Egov.Steering.Integration.Tests.Support;
using Egov.Steering.Notifications.V1;
using Egov.Steering.TestSupport;
using Grpc.Core;
using static Egov.Steering.Integration.Tests.Support.GiaLai;

namespace Egov.Steering.Integration.Tests.Telemetry;

/// <summary>
/// One decision is one trace: the trace id a client sends with IssueDecision comes back on every event the decision
/// causes, on each channel a dashboard reads — the WatchEvents message, the public exchange message and the webhook
/// POST — both as the CloudEvents distributed-tracing extension and as the channel's own W3C trace context.
/// </summary>
public sealed class DecisionTraceTests(SuiteBroker broker) : SystemTests(broker)
{
    private const string DecisionIssued = "egov.steering.events.v1.DecisionIssued";
    private const string DecisionApplied = "egov.steering.events.v1.DecisionApplied";


    [Fact]
    public async Task The_trace_of_IssueDecision_reaches_the_stream_the_exchange_and_the_webhook()
    {
        var notifications = Services.NotificationsClient(Province);
        await using var hook = await WebhookRecorder.SubscribeAsync(notifications);

        await using var exchange = await PublicExchangeTap.StartAsync(Broker.Uri, Services.PublicExchangeName);

        using var watch = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var stream = notifications.WatchEvents(new WatchEventsRequest(), cancellationToken: watch.Token);
        Assert.True(await stream.ResponseStream.MoveNext(watch.Token)); // the first heartbeat: the stream is attached
        var streamed = new ConcurrentQueue<EventEnvelope>();
        var reading = Task.Run(async () =>
        {
            await foreach (var item in stream.ResponseStream.ReadAllAsync(watch.Token))
            {
                if (item.Event is { } envelope)
                {
                    streamed.Enqueue(envelope);
                }
            }
        });

        var vo = await Gialai.PersonAsync("Võ Ngọc Thành");
        var draft = await Gialai.CreateAsync(Founding(vo));
        // The client's own span, as a traced client's call would have: its HTTP request carries the W3C traceparent.
        var trace = ActivityTraceId.CreateRandom();
        using (new Activity("dashboard IssueDecision").SetParentId(trace, ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded).Start())
        {
            await Gialai.Decisions.IssueDecisionAsync(new Decisions.V1.IssueDecisionRequest { Name = draft.Name, Etag = draft.Etag });
        }

        // The outcome is logged after its effects; each event then reaches the other two channels too.
        await Eventually.WaitUntilAsync(
            () => Task.FromResult(
                streamed.Any(e => e.Type == DecisionIssued) && streamed.Any(e => e.Type == DecisionApplied)
                && streamed.All(e => exchange.Received.Any(m => m.Envelope.Id == e.Id) && hook.Received.Any(r => r.Envelope.Id == e.Id))),
            "the decision's events on the stream, the exchange and the webhook");
        await watch.CancelAsync();
        await reading.ContinueWith(_ => { }, TaskScheduler.Default);

        // Every event the decision caused: DecisionIssued (Decisions), the committee and membership events and the
        // outcome (Membership's apply), each as Notifications logged it.
        var caused = streamed.ToList();
        Assert.Contains(caused, e => e.Type == "egov.steering.events.v1.MembershipStarted");
        Assert.All(caused, e => Assert.Equal(trace, TraceIdOf(e.Traceparent)));

        var published = exchange.Received.Where(m => caused.Any(e => e.Id == m.Envelope.Id)).ToList();
        Assert.Equal(caused.Count, published.Count);
        Assert.All(published, m =>
        {
            Assert.Equal(trace, TraceIdOf(m.Envelope.Traceparent));
            Assert.Equal(trace, TraceIdOf(m.Header("cloudEvents:traceparent")));
            Assert.Equal(trace, TraceIdOf(m.Header("traceparent")));
        });

        var posted = hook.Received.Where(r => caused.Any(e => e.Id == r.Envelope.Id)).ToList();
        Assert.Equal(caused.Count, posted.Count);
        Assert.All(posted, r =>
        {
            Assert.Equal(trace, TraceIdOf(r.Headers["ce-traceparent"]));
            Assert.Equal(trace, TraceIdOf(r.Headers["traceparent"]));
        });
    }

    private static ActivityTraceId TraceIdOf(string? traceParent) =>
        ActivityContext.TryParse(traceParent, null, out var context) ? context.TraceId : default;
}
