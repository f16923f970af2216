namespace Egov.Steering.Messaging;

/// <summary>
/// The bound on a wait for the broker's publisher confirms. Neither a confirm nor a refusal within it means the broker
/// is unreachable or no longer serves the channel (it can stop without closing the connection), which the caller must
/// tell from its own cancellation: it fails with a <see cref="TimeoutException"/>.
/// </summary>
public static class PublisherConfirms
{
    /// <summary>Runs <paramref name="publish"/> with a token that also fires after <paramref name="timeout"/>.</summary>
    public static async Task WithinAsync(TimeSpan timeout, Func<CancellationToken, Task> publish, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(publish);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        try
        {
            await publish(bounded.Token);
        }
        catch (OperationCanceledException e) when (bounded.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The broker did not confirm the publish within {timeout.TotalSeconds:0.###} s", e);
        }
    }
}
