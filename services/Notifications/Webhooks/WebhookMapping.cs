using Egov.Steering.Notifications.Data;
using Egov.Steering.Notifications.V1;
using Egov.Steering.ServiceDefaults.Errors;
using Google.Protobuf.WellKnownTypes;

namespace Egov.Steering.Notifications.Webhooks;

internal static class WebhookMapping
{
    public const string SubscriptionPrefix = "webhookSubscriptions/";

    public static string NameOf(WebhookSubscriptionRecord record) => SubscriptionPrefix + record.Id;

    public static string NameOf(WebhookDeliveryRecord delivery) =>
        $"{SubscriptionPrefix}{delivery.SubscriptionId}/deliveries/{delivery.Id}";

    public static EventFilter FilterOf(WebhookSubscriptionRecord record) => EventFilter.Parser.ParseFrom(record.Filter);

    public static WebhookSubscription ToProto(this WebhookSubscriptionRecord record) => new()
    {
        Name = NameOf(record),
        Uri = record.Uri,
        Filter = FilterOf(record),
        PayloadFormat = (PayloadFormat)record.PayloadFormat,
        State = (WebhookSubscriptionState)record.State,
        StateReason = record.StateReason,
        OwnerOrganisation = record.OwnerOrganisation,
        CreateTime = Timestamp.FromDateTime(DateTime.SpecifyKind(record.CreateTime, DateTimeKind.Utc)),
        UpdateTime = Timestamp.FromDateTime(DateTime.SpecifyKind(record.UpdateTime, DateTimeKind.Utc)),
        Etag = EntityTag.Of(record.Revision),
    };

    public static WebhookDelivery ToProto(this WebhookDeliveryRecord delivery)
    {
        var proto = new WebhookDelivery
        {
            Name = NameOf(delivery),
            EventId = delivery.EventId,
            EventPosition = delivery.EventPosition,
            EventType = delivery.EventType,
            State = (WebhookDeliveryState)delivery.State,
            AttemptCount = delivery.AttemptCount,
            LastHttpStatus = delivery.LastHttpStatus,
            LastError = delivery.LastError,
            CreateTime = Utc(delivery.CreatedAt),
        };
        if (delivery.LastAttemptAt is { } last)
        {
            proto.LastAttemptTime = Utc(last);
        }

        if (delivery.State == (int)WebhookDeliveryState.Pending)
        {
            proto.NextAttemptTime = Utc(delivery.NextAttemptAt);
        }

        if (delivery.CompletedAt is { } completed)
        {
            proto.CompleteTime = Utc(completed);
        }

        return proto;
    }

    private static Timestamp Utc(DateTime value) => Timestamp.FromDateTime(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
