using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using Egov.Steering.Events.V1;
using Egov.Steering.Messaging.CloudEvents;
using Egov.Steering.Messaging.Tracing;
using Egov.Steering.Notifications.Data;
using Egov.Steering.Notifications.Feed;
using Egov.Steering.Notifications.V1;
using Egov.Steering.Retries;
using Google.Protobuf;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Egov.Steering.Notifications.Webhooks;

/// <summary>
/// Attempts due deliveries of active subscriptions: claims each row with a lease (so replicas and a restart never
/// lose or double-run one), POSTs the signed event, and records the outcome: SUCCEEDED, a later attempt with
/// exponential backoff and jitter, or FAILED after the configured attempts — counted against the subscription, which
/// is SUSPENDED after too many failed deliveries in a row.
/// </summary>
internal sealed partial class WebhookSender(
    IServiceScopeFactory scopes,
    IHttpClientFactory httpClients,
    IOptions<NotificationsOptions> options,
    NotificationsTelemetry telemetry,
    TimeProvider timeProvider,
    ILogger<WebhookSender> logger)
{
    public const string HttpClientName = "webhooks";

    /// <summary>Claims and attempts one round of due deliveries; returns how many were attempted.</summary>
    public async Task<int> SendDueAsync(CancellationToken cancellationToken)
    {
        var claimed = await ClaimAsync(cancellationToken);
        await Task.WhenAll(claimed.Select(claim => AttemptAsync(claim, cancellationToken)));
        return claimed.Count;
    }

    private async Task<List<Claim>> ClaimAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value.Webhooks;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        var now = timeProvider.GetUtcNow().UtcDateTime;
        var due = await (
                from delivery in db.WebhookDeliveries
                join subscription in db.WebhookSubscriptions on delivery.SubscriptionId equals subscription.Id
                where delivery.State == (int)WebhookDeliveryState.Pending
                    && delivery.NextAttemptAt <= now
                    && subscription.State == (int)WebhookSubscriptionState.Active
                orderby delivery.NextAttemptAt
                select new { delivery, subscription })
            .Take(settings.Concurrency)
            .ToListAsync(cancellationToken);

        var claims = new List<Claim>();
        foreach (var item in due)
        {
            // The lease: if this replica dies mid-attempt, the delivery is due again after it.
            item.delivery.NextAttemptAt = now + (settings.Timeout * 2) + TimeSpan.FromSeconds(5);
            item.delivery.Version = Guid.NewGuid();
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                claims.Add(new Claim(item.delivery.Id, item.delivery.Version, item.delivery.EventPosition, item.delivery.AttemptCount, item.subscription));
            }
            catch (DbUpdateConcurrencyException)
            {
                db.ChangeTracker.Clear(); // another replica claimed it
            }
        }

        return claims;
    }

    private async Task AttemptAsync(Claim claim, CancellationToken cancellationToken)
    {
        var settings = options.Value.Webhooks;
        var (status, error) = await PostAsync(claim, settings, cancellationToken);
        var succeeded = status is >= 200 and < 300;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        var now = timeProvider.GetUtcNow().UtcDateTime;
        var attempts = claim.AttemptCount + 1;
        var failed = !succeeded && attempts >= settings.MaxAttempts;
        var state = succeeded ? WebhookDeliveryState.Succeeded : failed ? WebhookDeliveryState.Failed : WebhookDeliveryState.Pending;
        telemetry.WebhookDeliveries.Add(1, new KeyValuePair<string, object?>("outcome", succeeded ? "succeeded" : failed ? "failed" : "retrying"));
        var next = succeeded || failed ? now : now + new Backoff(settings.InitialBackoff, settings.MaxBackoff).Delay(attempts);
        var updated = await db.WebhookDeliveries
            .Where(d => d.Id == claim.DeliveryId && d.Version == claim.Version)
            .ExecuteUpdateAsync(
                d => d.SetProperty(x => x.State, (int)state)
                    .SetProperty(x => x.AttemptCount, attempts)
                    .SetProperty(x => x.LastAttemptAt, now)
                    .SetProperty(x => x.NextAttemptAt, next)
                    .SetProperty(x => x.LastHttpStatus, status)
                    .SetProperty(x => x.LastError, error)
                    .SetProperty(x => x.CompletedAt, succeeded || failed ? now : null)
                    .SetProperty(x => x.Version, Guid.NewGuid()),
                cancellationToken);
        if (updated == 0)
        {
            return; // deleted with its subscription meanwhile
        }

        var subscriptions = db.WebhookSubscriptions.Where(s => s.Id == claim.Subscription.Id);
        if (succeeded)
        {
            await subscriptions.Where(s => s.ConsecutiveFailedDeliveries > 0)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.ConsecutiveFailedDeliveries, 0), cancellationToken);
        }
        else if (failed)
        {
            await SuspendIfFailingAsync(subscriptions, status, error, now, settings, cancellationToken);
        }
    }

    private async Task SuspendIfFailingAsync(
        IQueryable<WebhookSubscriptionRecord> subscriptions, int status, string error, DateTime now, WebhookOptions settings, CancellationToken cancellationToken)
    {
        await subscriptions.ExecuteUpdateAsync(
            s => s.SetProperty(x => x.ConsecutiveFailedDeliveries, x => x.ConsecutiveFailedDeliveries + 1), cancellationToken);
        var last = status > 0 ? $"HTTP {status}" : error;
        var reason = $"{settings.SuspendAfterFailedDeliveries} consecutive deliveries failed; last: {last}";
        if (reason.Length > 500)
        {
            reason = reason[..500];
        }

        var suspended = await subscriptions
            .Where(s => s.State == (int)WebhookSubscriptionState.Active && s.ConsecutiveFailedDeliveries >= settings.SuspendAfterFailedDeliveries)
            .ExecuteUpdateAsync(
                s => s.SetProperty(x => x.State, (int)WebhookSubscriptionState.Suspended)
                    .SetProperty(x => x.StateReason, reason)
                    .SetProperty(x => x.UpdateTime, now)
                    .SetProperty(x => x.Revision, x => x.Revision + 1),
                cancellationToken);
        if (suspended > 0)
        {
            LogSuspended(await subscriptions.Select(s => s.Id).SingleAsync(cancellationToken), reason);
        }
    }

    private async Task<(int Status, string Error)> PostAsync(Claim claim, WebhookOptions settings, CancellationToken cancellationToken)
    {
        EventEnvelope envelope;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
            var row = await db.Events.AsNoTracking().SingleOrDefaultAsync(e => e.Position == claim.EventPosition, cancellationToken);
            if (row is null)
            {
                return (0, "the event is no longer retained in the log");
            }

            envelope = row.ToEnvelope();
        }

        // The POST continues the event's trace (the HTTP client span and its W3C traceparent header are children).
        using var activity = TraceContext.StartActivity(
            NotificationsTelemetry.Source, "webhook deliver", ActivityKind.Producer, envelope.Traceparent, envelope.Tracestate);
        activity?.SetTag("messaging.message.id", envelope.Id);
        var json = claim.Subscription.PayloadFormat == (int)PayloadFormat.Json;
        var body = json ? System.Text.Encoding.UTF8.GetBytes(JsonFormatter.Default.Format(envelope)) : envelope.ToByteArray();
        var timestamp = timeProvider.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, claim.Subscription.Uri) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = json
            ? new MediaTypeHeaderValue("application/json")
            : MediaTypeHeaderValue.Parse($"application/protobuf; proto={EventEnvelope.Descriptor.FullName}");
        AddCloudEventHeaders(request, envelope);
        request.Headers.Add(WebhookSignature.IdHeader, envelope.Id);
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(claim.Subscription.Secret, timestamp, body));

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.Timeout);
        try
        {
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var status = (int)response.StatusCode;
            return (status, response.IsSuccessStatusCode ? string.Empty : $"HTTP {status}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (0, $"timeout after {settings.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s");
        }
        catch (HttpRequestException exception)
        {
            LogAttemptFailed(claim.DeliveryId, exception.Message);
            return (0, Truncate(exception.Message));
        }
    }

    // CloudEvents HTTP binding, binary mode: the attributes as ce- headers, the body is the event data.
    private static void AddCloudEventHeaders(HttpRequestMessage request, EventEnvelope envelope)
    {
        foreach (var (name, value) in CloudEventHeaders.HttpHeadersOf(envelope))
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        request.Headers.Add(CloudEventHeaders.HttpPrefix + CloudEventHeaders.PositionAttribute, envelope.Position.ToString(CultureInfo.InvariantCulture));
    }

    private static string Truncate(string text) => text.Length <= 500 ? text : text[..500];

    private sealed record Claim(long DeliveryId, Guid Version, long EventPosition, int AttemptCount, WebhookSubscriptionRecord Subscription);

    [LoggerMessage(LogLevel.Warning, "Webhook subscription {SubscriptionId} was suspended: {Reason}")]
    private partial void LogSuspended(string subscriptionId, string reason);

    [LoggerMessage(LogLevel.Debug, "Webhook delivery {DeliveryId} failed: {Error}")]
    private partial void LogAttemptFailed(long deliveryId, string error);
}
