using System.Security.Claims;
using Egov.Steering.Access;
using Egov.Steering.ServiceDefaults.Auth;
using Egov.Steering.ServiceDefaults.Errors;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Egov.Steering.ServiceDefaults.Audit;

/// <summary>
/// Records refused calls of write and admin methods (UNAUTHENTICATED, PERMISSION_DENIED) in the audit trail, in a
/// transaction of their own: who as far as known, the method, the resource the request names, the refusal and the
/// request id. Rate-limited per caller (subject and organisation, else the client address) so refusals cannot flood
/// the trail; a failure to record is logged and never changes the answer.
/// </summary>
public abstract partial class RefusedCallLog
{
    private const int MaxResourceLength = 500;
    private const int MaxOrganisationLength = 100;
    private static readonly object ClaimedCallerKey = new();
    private static readonly TimeSpan SaveTimeout = TimeSpan.FromSeconds(5);

    private readonly RefusalRateLimiter limiter;
    private readonly TimeProvider time;
    private readonly ILogger logger;

    protected RefusedCallLog(IOptions<AuditOptions> options, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        limiter = new RefusalRateLimiter(options.Value.RefusalBurst, options.Value.RefusalInterval, time);
        this.time = time;
        this.logger = logger;
    }

    /// <summary>
    /// Keeps what a validly signed token that names no caller claims (sanitised, bounded), to say who a refusal was.
    /// </summary>
    public static void RememberClaimedCaller(HttpContext http, ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(principal);
        http.Items[ClaimedCallerKey] = (
            Claimed(principal, SteeringClaims.Subject, SteeringClaims.MaxSubjectLength),
            Claimed(principal, SteeringClaims.Organisation, MaxOrganisationLength));
    }

    /// <param name="request">The request, when it was read: the resource it names and its request_id are recorded.</param>
    public async Task RecordAsync(HttpContext http, IMessage? request, ApiException refusal)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(refusal);
        var endpoint = http.GetEndpoint();
        if (!SteeringPolicies.GuardsMoreThanReading(SteeringPolicies.DeclaredBy(endpoint)))
        {
            return;
        }

        var caller = Caller.From(http.User);
        var (subject, organisation) = caller.IsAuthenticated
            ? (caller.Subject, caller.Organisation)
            : http.Items[ClaimedCallerKey] as (string, string)? ?? (string.Empty, string.Empty);
        var key = subject.Length > 0 ? $"{organisation}\n{subject}" : $"address {http.Connection.RemoteIpAddress}";
        if (!limiter.TryAcquire(key, out var suppressed))
        {
            return;
        }

        var entry = new AuditEntry
        {
            OccurredAt = time.GetUtcNow().UtcDateTime,
            Subject = subject,
            Organisation = organisation,
            Method = endpoint?.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method.FullName ?? http.Request.Path.ToString(),
            Resource = request is null ? string.Empty : Bounded(ResourceNamedBy(request), MaxResourceLength),
            RequestId = request is null ? null : RequestIdOf(request),
            RefusedCode = (int)refusal.Code,
            RefusedReason = refusal.Reason,
            SuppressedRefusals = suppressed,
        };
        try
        {
            using var timeout = new CancellationTokenSource(SaveTimeout);
            await SaveAsync(entry, timeout.Token);
        }
        catch (Exception exception)
        {
            // The refusal stands whatever happens here; the log keeps what the trail could not.
            LogNotRecorded(logger, exception, entry.Method, refusal.Reason);
        }
    }

    protected abstract Task SaveAsync(AuditEntry entry, CancellationToken cancellationToken);

    // The resource a request names: its `name`, else the `name` of the resource it carries (an update), else its `parent`.
    private static string ResourceNamedBy(IMessage request)
    {
        var carried = request.Descriptor.Fields.InDeclarationOrder()
            .Where(field => field.FieldType == FieldType.Message && !field.IsRepeated && !field.IsMap)
            .Select(field => field.Accessor.GetValue(request) as IMessage);
        return new[] { StringField(request, "name") }
            .Concat(carried.Select(message => message is null ? null : StringField(message, "name")))
            .Append(StringField(request, "parent"))
            .FirstOrDefault(value => !string.IsNullOrEmpty(value)) ?? string.Empty;
    }

    private static string? RequestIdOf(IMessage request) =>
        Guid.TryParseExact(StringField(request, "request_id"), "D", out var id) ? id.ToString("D") : null;

    private static string? StringField(IMessage message, string name) =>
        message.Descriptor.FindFieldByName(name) is { FieldType: FieldType.String, IsRepeated: false } field
            ? field.Accessor.GetValue(message) as string
            : null;

    private static string Claimed(ClaimsPrincipal principal, string type, int maxLength) =>
        Bounded(string.Join(',', principal.FindAll(type).Select(claim => claim.Value)), maxLength);

    // Recorded as text a database stores: no control characters (NUL) or surrogates, within the column's length.
    private static string Bounded(string value, int maxLength)
    {
        var clean = new string(value.Where(character => !char.IsControl(character) && !char.IsSurrogate(character)).ToArray());
        return clean.Length <= maxLength ? clean : clean[..maxLength];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The refusal of {Method} ({Reason}) could not be recorded in the audit trail")]
    private static partial void LogNotRecorded(ILogger logger, Exception exception, string method, string reason);
}
