using System.Collections.Concurrent;
using MassTransit;

namespace Egov.Steering.BuildingBlocks.Tests.Messaging;

/// <summary>The bus's publications by message id, each as it started and as it completed, in the order they happened.</summary>
internal sealed class PublicationLog : IPublishObserver
{
    private readonly ConcurrentQueue<(PublicationStep Step, Guid MessageId)> _steps = new();

    public IReadOnlyList<(PublicationStep Step, Guid MessageId)> Steps => [.. _steps];

    /// <summary>How many times the bus published the message.</summary>
    public int Of(Guid messageId) => _steps.Count(step => step == (PublicationStep.Completed, messageId));

    public Task PrePublish<T>(PublishContext<T> context)
        where T : class => Record(PublicationStep.Started, context);

    public Task PostPublish<T>(PublishContext<T> context)
        where T : class => Record(PublicationStep.Completed, context);

    public Task PublishFault<T>(PublishContext<T> context, Exception exception)
        where T : class => Task.CompletedTask;

    private Task Record(PublicationStep step, PublishContext context)
    {
        if (context.MessageId is { } id)
        {
            _steps.Enqueue((step, id));
        }

        return Task.CompletedTask;
    }
}

internal enum PublicationStep
{
    Started,
    Completed,
}
