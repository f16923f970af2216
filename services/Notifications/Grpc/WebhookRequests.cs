using System.Globalization;
using Egov.Steering.Notifications.Feed;
using Egov.Steering.Notifications.UseCases;
using Egov.Steering.Notifications.V1;
using Egov.Steering.Notifications.Webhooks;
using Egov.Steering.ServiceDefaults.Errors;
using Egov.Steering.ServiceDefaults.Validation;

namespace Egov.Steering.Notifications.Grpc;

/// <summary>Validation of the webhook RPCs' requests: field violations as INVALID_ARGUMENT, names as ids.</summary>
public sealed class WebhookRequests(WebhookUriPolicy uriPolicy)
{
    private static readonly ResourceNameTemplate SubscriptionName = new("webhookSubscriptions/{webhook_subscription}");
    private static readonly ResourceNameTemplate DeliveryName = new("webhookSubscriptions/{webhook_subscription}/deliveries/{delivery}");
    private static readonly string[] CreatableFields = ["uri", "filter", "payload_format", "secret"];
    private static readonly HashSet<string> UpdatableFields = ["uri", "filter", "payload_format", "secret", "paused"];

    /// <summary>The subscription id of a well-formed name in <paramref name="field"/>.</summary>
    public static string SubscriptionId(string field, string name)
    {
        var validator = new RequestValidator();
        var ids = validator.ResourceName(field, name, SubscriptionName);
        validator.ThrowIfInvalid();
        return ids![0];
    }

    /// <summary>The subscription's and the delivery's ids of a well-formed delivery name; NOT_FOUND when the delivery is not a number.</summary>
    public static (string SubscriptionId, long DeliveryId) DeliveryIds(string name)
    {
        var validator = new RequestValidator();
        var ids = validator.ResourceName("name", name, DeliveryName);
        validator.ThrowIfInvalid();
        return long.TryParse(ids![1], NumberStyles.None, CultureInfo.InvariantCulture, out var deliveryId)
            ? (ids[0], deliveryId)
            : throw new ResourceNotFoundException(name);
    }

    /// <summary>Validates the request; returns its page size.</summary>
    public static int ValidateList(ListWebhookSubscriptionsRequest request)
    {
        var validator = new RequestValidator();
        var pageSize = PageSize(validator, request.PageSize);
        validator.ThrowIfInvalid();
        return pageSize;
    }

    /// <summary>Validates the request; returns its page size.</summary>
    public static int ValidateList(ListDeliveriesRequest request)
    {
        var validator = new RequestValidator();
        var pageSize = PageSize(validator, request.PageSize);
        for (var index = 0; index < request.States.Count; index++)
        {
            validator.Enum($"states[{index}]", request.States[index]);
        }

        validator.ThrowIfInvalid();
        return pageSize;
    }

    public async Task ValidateCreateAsync(CreateWebhookSubscriptionRequest request, CancellationToken cancellationToken)
    {
        var validator = new RequestValidator();
        if (validator.Required("webhook_subscription", request.WebhookSubscription))
        {
            await ValidateFieldsAsync(validator, request.WebhookSubscription, CreatableFields, creating: true, cancellationToken);
        }

        validator.ThrowIfInvalid();
    }

    /// <summary>Validates the request; returns the fields its mask names.</summary>
    public async Task<IReadOnlyCollection<string>> ValidateUpdateAsync(UpdateWebhookSubscriptionRequest request, CancellationToken cancellationToken)
    {
        var validator = new RequestValidator();
        var subscription = request.WebhookSubscription;
        var paths = request.UpdateMask?.Paths.ToList() ?? [];
        if (validator.Required("webhook_subscription", subscription))
        {
            validator.ResourceName("webhook_subscription.name", subscription.Name, SubscriptionName);
            if (paths.Count == 0)
            {
                validator.Add("update_mask", "is required: name the fields to change");
            }

            foreach (var path in paths.Where(p => !UpdatableFields.Contains(p)))
            {
                validator.Add("update_mask", $"'{path}' cannot be changed (allowed: {string.Join(", ", UpdatableFields)})");
            }

            await ValidateFieldsAsync(validator, subscription, paths, creating: false, cancellationToken);
        }

        validator.ThrowIfInvalid();
        return paths;
    }

    private static int PageSize(RequestValidator validator, int requested) => validator.PageSize("page_size", requested, 50, 500);

    private async Task ValidateFieldsAsync(
        RequestValidator validator, WebhookSubscription subscription, IReadOnlyCollection<string> fields, bool creating, CancellationToken cancellationToken)
    {
        if (fields.Contains("uri") || creating)
        {
            // The policy judges the URL as given: it is stored as given.
            if (validator.Text("webhook_subscription.uri", subscription.Uri, 2048).Length > 0
                && await uriPolicy.RefusalAsync(subscription.Uri, cancellationToken) is { } refusal)
            {
                validator.Add("webhook_subscription.uri", refusal);
            }
        }

        if (fields.Contains("filter"))
        {
            FeedRequests.ValidateFilter(validator, "webhook_subscription.filter", subscription.Filter);
        }

        if (fields.Contains("payload_format"))
        {
            validator.Enum("webhook_subscription.payload_format", subscription.PayloadFormat, required: false);
        }

        // Empty on create: the server generates one.
        if ((fields.Contains("secret") && !creating) || subscription.Secret.Length > 0)
        {
            if (System.Text.Encoding.UTF8.GetByteCount(subscription.Secret) < WebhookSubscriptions.MinSecretBytes)
            {
                validator.Add("webhook_subscription.secret", $"must be at least {WebhookSubscriptions.MinSecretBytes} bytes");
            }
        }
    }
}
