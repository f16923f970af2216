using Egov.Steering.Membership.Compliance;
using Egov.Steering.Membership.Data;
using Egov.Steering.Membership.Domain;
using Egov.Steering.Membership.Mapping;
using Egov.Steering.Membership.V1;
using Egov.Steering.ServiceDefaults.Errors;
using Egov.Steering.Storage;
using Egov.Steering.Text;
using Google.Protobuf;
using Microsoft.EntityFrameworkCore;
using CommitteeLevel = Egov.Steering.Membership.Domain.CommitteeLevel;
using CommitteeCompliance = Egov.Steering.Membership.Domain.Compliance.CommitteeCompliance;
using CommitteeState = Egov.Steering.Membership.Domain.CommitteeState;
using ComplianceStatus = Egov.Steering.Membership.Domain.ComplianceStatus;

namespace Egov.Steering.Membership.Views;

/// <summary>
/// The committee ("provincial") view and the national overview as of a date (today in Vietnam when not given),
/// served through the <see cref="ViewCache"/> and built from the database on a miss, each from one snapshot (the
/// committees, their compliance and the organisations agree with each other even while decisions are applied), with
/// compliance evaluated as of that date.
/// </summary>
public sealed class CommitteeViews(MembershipDbContext db, RegisterStore store, ViewCache cache, MembershipClock clock, ComplianceRecalculator compliance)
{
    private static readonly CommitteeLevel[] OverviewLevels = [CommitteeLevel.National, CommitteeLevel.Ministry, CommitteeLevel.Province];

    /// <summary>A committee not in operation on the date (planned, before its record, or ended) is not assessed.</summary>
    private static readonly CommitteeCompliance NotAssessed = new(ComplianceStatus.Unknown, []);

    /// <summary>The committee with its members, working groups, mandate, focal agency and last consolidation; NOT_FOUND if unknown.</summary>
    public async Task<CommitteeView> GetCommitteeViewAsync(string committeeId, DateOnly? asOf, CancellationToken cancellationToken) =>
        CommitteeView.Parser.ParseFrom(await GetCommitteeViewBytesAsync(committeeId, asOf ?? clock.Today, cancellationToken));

    /// <summary>The national committee and one row per ministry and province in force on the date, with or without a committee.</summary>
    public async Task<NationalOverview> GetNationalOverviewAsync(DateOnly? asOf, CancellationToken cancellationToken) =>
        NationalOverview.Parser.ParseFrom(await GetNationalOverviewBytesAsync(asOf ?? clock.Today, cancellationToken));

    /// <summary>The committee view serialized, as cached (shared: never change the bytes).</summary>
    public Task<byte[]> GetCommitteeViewBytesAsync(string committeeId, DateOnly asOf, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(committeeId);
        return cache.GetOrCreateAsync(
            ViewKeys.Committee(committeeId), asOf, async ct => (await BuildCommitteeViewAsync(committeeId, asOf, ct)).ToByteArray(), cancellationToken);
    }

    /// <summary>The national overview serialized, as cached (shared: never change the bytes).</summary>
    public Task<byte[]> GetNationalOverviewBytesAsync(DateOnly asOf, CancellationToken cancellationToken) =>
        cache.GetOrCreateAsync(ViewKeys.Overview, asOf, async ct => (await BuildOverviewAsync(asOf, ct)).ToByteArray(), cancellationToken);

    private Task<CommitteeView> BuildCommitteeViewAsync(string committeeId, DateOnly date, CancellationToken cancellationToken) =>
        db.InSnapshotAsync(token => BuildCommitteeViewInSnapshotAsync(committeeId, date, token), cancellationToken);

    private Task<NationalOverview> BuildOverviewAsync(DateOnly date, CancellationToken cancellationToken) =>
        db.InSnapshotAsync(token => BuildOverviewInSnapshotAsync(date, token), cancellationToken);

    private async Task<CommitteeView> BuildCommitteeViewInSnapshotAsync(string committeeId, DateOnly date, CancellationToken cancellationToken)
    {
        // The committee with those merged into it (its predecessors).
        var register = await store.LoadCommitteesAsync(
            db.CommitteeAggregates.AsNoTracking().Where(c => c.Id == committeeId || c.SuccessorId == committeeId), cancellationToken);
        var committee = register.FindCommittee(committeeId) ?? throw new ResourceNotFoundException("committees/" + committeeId);
        var evaluated = committee.StateOn(date) == CommitteeState.Active
            ? (await compliance.EvaluateAsOfAsync(register, [committee], date, cancellationToken))[committee.Id]
            : NotAssessed;
        return Build(register, register.AsOf(committee, date), evaluated, Now);
    }

    private async Task<NationalOverview> BuildOverviewInSnapshotAsync(DateOnly date, CancellationToken cancellationToken)
    {
        var register = await store.LoadCommitteesAsync(
            db.CommitteeAggregates.AsNoTracking().Where(c => OverviewLevels.Contains(c.Level)), cancellationToken);
        var inForce = register.Committees.Where(c => c.StateOn(date) == CommitteeState.Active).ToList();
        var evaluated = await compliance.EvaluateAsOfAsync(register, inForce, date, cancellationToken);
        var organisations = (await db.Organisations.AsNoTracking().ToListAsync(cancellationToken))
            .Where(o => o.InForceOn(date))
            .OrderBy(o => o.Level == CommitteeLevel.Ministry ? 0 : 1)
            .ThenBy(o => VietnameseText.SortKey(o.DisplayName), StringComparer.Ordinal)
            .ToList();
        var overview = new NationalOverview { AsOf = ContractMapper.ToDate(date) };
        if (register.CommitteeOf(ReferenceData.Organisations.National, date) is { } national)
        {
            overview.NationalCommittee = Build(register, register.AsOf(national, date), evaluated.GetValueOrDefault(national.Id, NotAssessed), Now);
        }

        overview.Rows.AddRange(organisations.Select(organisation => Row(register, organisation, date, evaluated)));
        return overview;
    }

    private static NationalOverviewRow Row(
        Register register, OrganisationRecord organisation, DateOnly date, IReadOnlyDictionary<string, CommitteeCompliance> evaluated)
    {
        var row = new NationalOverviewRow
        {
            Organisation = organisation.Code,
            OrganisationDisplayName = organisation.DisplayName,
            Level = (Egov.Steering.Types.V1.CommitteeLevel)(int)organisation.Level,
        };
        if (register.CommitteeOf(organisation.Code, date) is not { } committee)
        {
            return row;
        }

        var asOf = register.AsOf(committee, date);
        row.Committee = committee.ResourceName;
        row.CommitteeDisplayName = asOf.DisplayName;
        row.MemberCount = asOf.MemberCount;
        row.UncertainMemberCount = asOf.UncertainMemberCount;
        row.CommitteeState = (Egov.Steering.Membership.V1.CommitteeState)(int)asOf.State;
        row.ConfirmedThrough = ContractMapper.ToProto(committee.ConfirmedThrough());
        row.BeyondConfirmedRecord = asOf.BeyondConfirmedRecord;
        row.ChairPostDisplayName = asOf.Chair?.Post?.DisplayName ?? "";
        row.ChairDisplayName = asOf.Chair?.Person?.DisplayName ?? "";
        if (asOf.LastConsolidation is { } consolidation)
        {
            row.LastConsolidationNumber = consolidation.Number ?? "";
            row.LastConsolidationDecision = ContractMapper.DecisionName(consolidation.DecisionId);
            row.LastConsolidationDate = ChangeMapper.ToProto(consolidation.EffectiveDate);
        }

        row.ComplianceStatus = StatusOf(evaluated.GetValueOrDefault(committee.Id, NotAssessed));
        return row;
    }

    private DateTime Now => clock.Time.GetUtcNow().UtcDateTime;

    /// <summary>The overall status; UNSPECIFIED when no cited rule was in force for the committee on the date.</summary>
    private static Egov.Steering.Membership.V1.ComplianceStatus StatusOf(CommitteeCompliance compliance) =>
        compliance.Assessed ? (Egov.Steering.Membership.V1.ComplianceStatus)(int)compliance.Status : Egov.Steering.Membership.V1.ComplianceStatus.Unspecified;

    private static CommitteeView Build(Register register, CommitteeAsOf asOf, CommitteeCompliance compliance, DateTime evaluatedAt)
    {
        var view = new CommitteeView
        {
            Committee = ContractMapper.Committee(register, asOf, compliance.Assessed ? compliance.Status : null),
            LastConsolidationNumber = asOf.LastConsolidation?.Number ?? "",
            LastConsolidationDate = ContractMapper.ToProto(asOf.LastConsolidation?.EffectiveDate),
            Compliance = compliance.Assessed ? ContractMapper.Compliance(compliance, evaluatedAt) : null,
            AsOf = ContractMapper.ToDate(asOf.Date),
            MemberCount = asOf.MemberCount,
            UncertainMemberCount = asOf.UncertainMemberCount,
        };
        view.Memberships.AddRange(asOf.Seats.Select(seat => ContractMapper.Membership(seat, asOf.Date)));
        view.WorkingGroups.AddRange(asOf.WorkingGroups.Select(ContractMapper.WorkingGroup));
        return view;
    }
}
