using System.Globalization;
using Egov.Steering.Cli.Remote;
using Egov.Steering.Events.V1;
using Egov.Steering.Membership.V1;
using Spectre.Console;

namespace Egov.Steering.Cli.Feed;

/// <summary>One event as one line a person reads: position, time, type, committee, and what changed in a few words.</summary>
public static class EventSummary
{
    private const string TypePrefix = "egov.steering.events.v1.";

    // Long enough for a name and a post, short enough that a line never wraps in a pipe (the console is 240 wide there).
    private const int MaxSummaryLength = 140;

    /// <summary>Markup: the position and type coloured at a terminal, plain text elsewhere.</summary>
    public static string Line(EventEnvelope envelope) => string.Join("  ",
        envelope.Position.ToString(CultureInfo.InvariantCulture).PadLeft(8),
        envelope.Time?.ToDateTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "-",
        $"[cyan]{Markup.Escape(ShortType(envelope.Type)),-24}[/]",
        string.IsNullOrEmpty(envelope.Committee) ? "-" : Markup.Escape(Labels.Id(envelope.Committee)),
        Markup.Escape(Shorten(Describe(envelope))));

    /// <summary>"egov.steering.events.v1.MembershipStarted" → "MembershipStarted".</summary>
    public static string ShortType(string type) => type.StartsWith(TypePrefix, StringComparison.Ordinal) ? type[TypePrefix.Length..] : type;

    /// <summary>The event type a command line names, short ("MembershipStarted") or full; null when the contract has no such event.</summary>
    public static string? FullType(string type)
    {
        var full = type.Contains('.', StringComparison.Ordinal) ? type : TypePrefix + type;
        return KnownTypes.Contains(full) ? full : null;
    }

    /// <summary>The event types of the contract (the messages of EventEnvelope's <c>event</c> oneof).</summary>
    public static IReadOnlyList<string> KnownTypes { get; } =
        [.. EventEnvelope.Descriptor.Oneofs.Single().Fields.Select(field => field.MessageType.FullName)];

    // Vietnamese first, as the register speaks; the English after the slash for integrators.
    private static string Describe(EventEnvelope e) => e.EventCase switch
    {
        EventEnvelope.EventOneofCase.CommitteeCreated => $"thành lập / created: {e.CommitteeCreated.Committee?.DisplayName}",
        EventEnvelope.EventOneofCase.CommitteeUpdated => $"cập nhật / updated: {string.Join(", ", e.CommitteeUpdated.UpdateMask?.Paths ?? [])}",
        EventEnvelope.EventOneofCase.CommitteeRenamed =>
            $"đổi tên / renamed from {Labels.Date(e.CommitteeRenamed.EffectiveDate)}: {e.CommitteeRenamed.DisplayName}",
        EventEnvelope.EventOneofCase.CommitteeMerged =>
            $"hợp nhất / merged into {Labels.Id(e.CommitteeMerged.Successor)} from {Labels.Date(e.CommitteeMerged.EffectiveDate)}",
        EventEnvelope.EventOneofCase.CommitteeDissolved => $"giải thể / dissolved from {Labels.Date(e.CommitteeDissolved.EffectiveDate)}",
        EventEnvelope.EventOneofCase.MembershipStarted => $"bổ nhiệm / appointed: {Seat(e.MembershipStarted.Membership)}",
        EventEnvelope.EventOneofCase.MembershipEnded => $"thôi / ended: {Seat(e.MembershipEnded.Membership)}",
        EventEnvelope.EventOneofCase.MembershipRolesChanged => $"đổi vai trò / roles changed: {Seat(e.MembershipRolesChanged.Membership)}",
        EventEnvelope.EventOneofCase.WorkingGroupChanged =>
            $"tổ công tác / working group {e.WorkingGroupChanged.Kind.ToString().ToLowerInvariant().Replace('_', ' ')}: {e.WorkingGroupChanged.WorkingGroup?.DisplayName}",
        EventEnvelope.EventOneofCase.DecisionIssued =>
            $"ban hành / issued: {Words(e.DecisionIssued.Decision?.Number, e.DecisionIssued.Decision?.Title)}",
        EventEnvelope.EventOneofCase.DecisionApplied => $"áp dụng / applied: {Labels.Id(e.DecisionApplied.Decision)}",
        EventEnvelope.EventOneofCase.DecisionRejected =>
            $"từ chối / rejected: {Labels.Id(e.DecisionRejected.Decision)} ({e.DecisionRejected.Reasons.Count} reason(s))",
        EventEnvelope.EventOneofCase.DecisionRevoked =>
            $"thu hồi / revoked: {Labels.Id(e.DecisionRevoked.Decision)} by {Labels.Id(e.DecisionRevoked.RevokingDecision)}",
        EventEnvelope.EventOneofCase.ComplianceChanged =>
            $"tuân thủ / compliance: {Status(e.ComplianceChanged.PreviousStatus)} → {Status(e.ComplianceChanged.Compliance?.Status ?? ComplianceStatus.Unspecified)}",
        EventEnvelope.EventOneofCase.PostHolderChanged =>
            $"chức vụ / post holder: {e.PostHolderChanged.PostDisplayName}: {(e.PostHolderChanged.PersonDisplayName is { Length: > 0 } name ? name : "(vacant)")}",
        // An event type newer than this steeringctl: its subject still says what it is about.
        _ => e.Subject,
    };

    private static string Seat(CommitteeMembership? membership) => membership is null
        ? "-"
        : string.Join(", ", new[] { membership.PersonDisplayName, membership.PostDisplayName, Labels.Roles(membership) }.Where(text => !string.IsNullOrEmpty(text)));

    // A decision without a number (the source gives none) is its title alone, not a title after a blank.
    private static string Words(params string?[] words) => string.Join(' ', words.Where(word => !string.IsNullOrEmpty(word)));

    private static string Status(ComplianceStatus status) => Markup.Remove(Labels.Compliance(status));

    private static string Shorten(string text) => text.Length <= MaxSummaryLength ? text : text[..(MaxSummaryLength - 1)] + "…";
}
