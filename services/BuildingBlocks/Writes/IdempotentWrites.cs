using System.Security.Cryptography;
using Egov.Steering.ServiceDefaults.Audit;
using Egov.Steering.ServiceDefaults.Auth;
using Egov.Steering.ServiceDefaults.Errors;
using Google.Protobuf;
using Microsoft.EntityFrameworkCore;

namespace Egov.Steering.Writes;

/// <summary>
/// The unit every write RPC runs in: one database transaction holding the domain change, its audit row and, when the
/// client sent a <c>request_id</c> (AIP-155), the answer to give a retry. A retry by the same caller gets the first
/// answer and changes nothing.
/// </summary>
public sealed class IdempotentWrites(Caller caller, TimeProvider timeProvider)
{
    /// <inheritdoc cref="ExecuteAsync{TResponse}(DbContext, string?, string, Func{TResponse, string}, IMessage, Func{CancellationToken, Task{TResponse}}, CancellationToken)"/>
    public Task<TResponse> ExecuteAsync<TResponse>(
        DbContext db,
        string? requestId,
        string method,
        string resource,
        IMessage request,
        Func<CancellationToken, Task<TResponse>> write,
        CancellationToken cancellationToken = default)
        where TResponse : class, IMessage<TResponse>, new() =>
        ExecuteUnpreparedAsync(db, requestId, method, new AuditedResource<TResponse>(resource, null), request, write, cancellationToken);

    /// <summary>
    /// Runs <paramref name="write"/> (which changes <paramref name="db"/> and may save it) in a transaction with the
    /// audit row and the stored answer, or returns the stored answer of an earlier request with the same id.
    /// Under a retrying execution strategy the unit may run again after a transient failure, so
    /// <paramref name="write"/> loads what it changes itself.
    /// </summary>
    /// <param name="requestId">The client's idempotency key: empty, or a UUID other than the zero UUID.</param>
    /// <param name="method">The full gRPC method (<c>ServerCallContext.Method</c>).</param>
    /// <param name="resourceOf">The name of the resource written, from the answer (for creates that name it).</param>
    /// <param name="request">The request, to tell a retry from a different request that reuses the id.</param>
    /// <exception cref="RequestValidationException">The request id is not a UUID, or was used before for a different request.</exception>
    public Task<TResponse> ExecuteAsync<TResponse>(
        DbContext db,
        string? requestId,
        string method,
        Func<TResponse, string> resourceOf,
        IMessage request,
        Func<CancellationToken, Task<TResponse>> write,
        CancellationToken cancellationToken = default)
        where TResponse : class, IMessage<TResponse>, new()
    {
        ArgumentNullException.ThrowIfNull(resourceOf);
        return ExecuteUnpreparedAsync(db, requestId, method, new AuditedResource<TResponse>(null, resourceOf), request, write, cancellationToken);
    }

    /// <summary>
    /// As <see cref="ExecuteAsync{TResponse}(DbContext, string?, string, string, IMessage, Func{CancellationToken, Task{TResponse}}, CancellationToken)"/>,
    /// with <paramref name="prepare"/> run first and outside the transaction (after a retry got its stored answer): the
    /// slow reads and remote calls a write depends on, which must not hold a transaction or its locks. Nothing it read
    /// is locked, so <paramref name="write"/> must check that it is unchanged (e.g. the row version it prepared).
    /// </summary>
    public Task<TResponse> ExecuteAsync<TPrepared, TResponse>(
        DbContext db,
        string? requestId,
        string method,
        string resource,
        IMessage request,
        Func<CancellationToken, Task<TPrepared>> prepare,
        Func<TPrepared, CancellationToken, Task<TResponse>> write,
        CancellationToken cancellationToken = default)
        where TResponse : class, IMessage<TResponse>, new() =>
        ExecuteAsync(db, requestId, method, new AuditedResource<TResponse>(resource, null), request, prepare, write, cancellationToken);

    private Task<TResponse> ExecuteUnpreparedAsync<TResponse>(
        DbContext db,
        string? requestId,
        string method,
        AuditedResource<TResponse> resource,
        IMessage request,
        Func<CancellationToken, Task<TResponse>> write,
        CancellationToken cancellationToken)
        where TResponse : class, IMessage<TResponse>, new()
    {
        ArgumentNullException.ThrowIfNull(write);
        return ExecuteAsync(db, requestId, method, resource, request, static _ => Task.FromResult(true), (_, token) => write(token), cancellationToken);
    }

    private async Task<TResponse> ExecuteAsync<TPrepared, TResponse>(
        DbContext db,
        string? requestId,
        string method,
        AuditedResource<TResponse> resource,
        IMessage request,
        Func<CancellationToken, Task<TPrepared>> prepare,
        Func<TPrepared, CancellationToken, Task<TResponse>> write,
        CancellationToken cancellationToken)
        where TResponse : class, IMessage<TResponse>, new()
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(prepare);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(write);
        var key = ParseRequestId(requestId);
        var requestHash = SHA256.HashData(request.ToByteArray());
        if (key is not null && await FindAnswerAsync<TResponse>(db, key.Value, method, requestHash, cancellationToken) is { } earlier)
        {
            return earlier;
        }

        try
        {
            var prepared = await prepare(cancellationToken);
            return await db.Database.CreateExecutionStrategy().ExecuteAsync(
                async token =>
                {
                    try
                    {
                        return await WriteOnceAsync(db, key, requestHash, method, resource, ct => write(prepared, ct), token);
                    }
                    catch
                    {
                        // The transaction rolled back; a retry of the unit must not save this attempt's entities.
                        db.ChangeTracker.Clear();
                        throw;
                    }
                },
                cancellationToken);
        }
        catch (Exception) when (key is not null && !cancellationToken.IsCancellationRequested)
        {
            // A concurrent duplicate may have committed first: its answer wins and this attempt's changes were rolled
            // back (typically it failed on the idempotency key, or on a domain uniqueness rule the first one claimed).
            if (await FindAnswerAsync<TResponse>(db, key.Value, method, requestHash, cancellationToken) is { } first)
            {
                return first;
            }

            throw;
        }
    }

    /// <summary>Deletes stored answers older than <paramref name="olderThanUtc"/>; returns how many.</summary>
    public static Task<int> PurgeAsync(DbContext db, DateTime olderThanUtc, CancellationToken cancellationToken) =>
        db.Set<IdempotencyRecord>().Where(record => record.CreatedAt < olderThanUtc).ExecuteDeleteAsync(cancellationToken);

    /// <summary>
    /// The write, its audit entry and the stored answer in one transaction. An audit entry whose resource is known before
    /// the write is added first, so the write's own save carries it (one round trip fewer); one named by the answer, and
    /// the stored answer, are saved after the write.
    /// </summary>
    private async Task<TResponse> WriteOnceAsync<TResponse>(
        DbContext db,
        Guid? key,
        byte[] requestHash,
        string method,
        AuditedResource<TResponse> resource,
        Func<CancellationToken, Task<TResponse>> write,
        CancellationToken token)
        where TResponse : class, IMessage<TResponse>
    {
        await using var transaction = await db.Database.BeginTransactionAsync(token);
        var now = timeProvider.GetUtcNow().UtcDateTime;
        AuditEntry Audit(string name) => new()
        {
            OccurredAt = now,
            Subject = caller.Subject,
            Organisation = caller.Organisation,
            Method = method,
            Resource = name,
            RequestId = key?.ToString("D"),
        };
        if (resource.Known is { } known)
        {
            db.Add(Audit(known));
        }

        var response = await write(token);
        if (resource.Known is null)
        {
            db.Add(Audit(resource.Of!(response)));
        }

        if (key is not null)
        {
            db.Add(new IdempotencyRecord
            {
                CallerOrganisation = caller.Organisation,
                CallerSubject = caller.Subject,
                RequestId = key.Value,
                Method = method,
                RequestHash = requestHash,
                Response = response.ToByteArray(),
                CreatedAt = now,
            });
        }

        // Nothing to send when the write saved everything, its audit entry included.
        await db.SaveChangesAsync(token);
        await transaction.CommitAsync(token);
        return response;
    }

    /// <summary>The resource a write's audit entry names: known before the write, or read from its answer.</summary>
    private sealed record AuditedResource<TResponse>(string? Known, Func<TResponse, string>? Of);

    private static Guid? ParseRequestId(string? requestId)
    {
        if (string.IsNullOrEmpty(requestId))
        {
            return null;
        }

        if (Guid.TryParseExact(requestId, "D", out var id) && id != Guid.Empty)
        {
            return id;
        }

        throw InvalidRequestId("must be a UUID such as 0b6f4f8e-6d55-4c39-9a55-3f0e4f7b2c1a (not the zero UUID)");
    }

    private async Task<TResponse?> FindAnswerAsync<TResponse>(
        DbContext db, Guid requestId, string method, byte[] requestHash, CancellationToken cancellationToken)
        where TResponse : class, IMessage<TResponse>, new()
    {
        var stored = await db.Set<IdempotencyRecord>().AsNoTracking().SingleOrDefaultAsync(
            record => record.CallerOrganisation == caller.Organisation
                && record.CallerSubject == caller.Subject
                && record.RequestId == requestId,
            cancellationToken);
        if (stored is null)
        {
            return null;
        }

        // AIP-155 is silent on a reused id with another request. It is a client bug that no retry can fix, and
        // answering with the first response would hide it, so it is INVALID_ARGUMENT on the request_id field
        // (not ALREADY_EXISTS, which would claim the requested resource exists).
        if (stored.Method != method || !stored.RequestHash.AsSpan().SequenceEqual(requestHash))
        {
            throw InvalidRequestId("was already used for a different request; use a new request_id for a new request");
        }

        var response = new TResponse();
        response.MergeFrom(stored.Response);
        return response;
    }

    private static RequestValidationException InvalidRequestId(string description) => new("request_id", description);
}
