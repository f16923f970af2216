using Egov.Steering.Membership.Data;
using Egov.Steering.Membership.Domain;
using Egov.Steering.Membership.Domain.Compliance;
using Egov.Steering.Membership.Mapping;
using Egov.Steering.Membership.V1;
using Egov.Steering.ServiceDefaults.Errors;
using Egov.Steering.ServiceDefaults.Storage;
using Egov.Steering.ServiceDefaults.Text;
using Microsoft.EntityFrameworkCore;
using CommitteeLevel = Egov.Steering.Membership.Domain.CommitteeLevel;
using ComplianceStatus = Egov.Steering.Membership.Domain.ComplianceStatus;

namespace Egov.Steering.Membership.Views;

/// <summary>
/// The committee ("provincial") view and the national overview as of a date (today in Vietnam when not given),
/// served through the <see cref="ViewCache"/> and built from the database on a miss, each from one snapshot (the
/// committees, their compliance and the organisations agree with each other even while decisions are applied).
/// </summary>
public sealed class CommitteeViews(MembershipDbContext db, RegisterStore store, ViewCache cache, MembershipClock clock)
{
    private static readonly CommitteeLevel[] OverviewLevels = [CommitteeLevel.National, CommitteeLevel.Ministry, CommitteeLevel.Province];

    /// <summary>The committee with its members, working groups, mandate, focal agency and last consolidation; NOT_FOUND if unknown.</summary>
    public Task<CommitteeView> GetCommitteeViewAsync(string committeeId, DateOnly? asOf, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(committeeId);
        var date = asOf ?? clock.Today;
        return cache.GetOrCreateAsync(ViewKeys.Committee(committeeId), date, CommitteeView.Parser, ct => BuildCommitteeViewAsync(committeeId, date, ct), cancellationToken);
    }

    /// <summary>The national committee and one row per ministry and province in force on the date, with or without a committee.</summary>
    public Task<NationalOverview> GetNationalOverviewAsync(DateOnly? asOf, CancellationToken cancellationToken)
    {
        var date = asOf ?? clock.Today;
        return cache.GetOrCreateAsync(ViewKeys.Overview, date, NationalOverview.Parser, ct => BuildOverviewAsync(date, ct), cancellationToken);
    }

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
        var record = await db.CommitteeCompliance.AsNoTracking().SingleOrDefaultAsync(r => r.CommitteeId == committeeId, cancellationToken);
        return Build(register, register.AsOf(committee, date), record);
    }

    private async Task<NationalOverview> BuildOverviewInSnapshotAsync(DateOnly date, CancellationToken cancellationToken)
    {
        var register = await store.LoadCommitteesAsync(
            db.CommitteeAggregates.AsNoTracking().Where(c => OverviewLevels.Contains(c.Level)), cancellationToken);
        var records = await db.CommitteeCompliance.AsNoTracking().ToDictionaryAsync(r => r.CommitteeId, cancellationToken);
        var organisations = (await db.Organisations.AsNoTracking().ToListAsync(cancellationToken))
            .Where(o => o.InForceOn(date))
            .OrderBy(o => o.Level == CommitteeLevel.Ministry ? 0 : 1)
            .ThenBy(o => VietnameseText.SortKey(o.DisplayName), StringComparer.Ordinal)
            .ToList();
        var overview = new NationalOverview { AsOf = ContractMapper.ToDate(date) };
        if (register.CommitteeOf(ReferenceData.Organisations.National, date) is { } national)
        {
            overview.NationalCommittee = Build(register, register.AsOf(national, date), records.GetValueOrDefault(national.Id));
        }

        overview.Rows.AddRange(organisations.Select(organisation => Row(register, organisation, date, records)));
        return overview;
    }

    private static NationalOverviewRow Row(
        Register register, OrganisationRecord organisation, DateOnly date, Dictionary<string, CommitteeComplianceRecord> records)
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

        row.ComplianceStatus = (Egov.Steering.Membership.V1.ComplianceStatus)(int)(records.GetValueOrDefault(committee.Id)?.Status ?? 0);
        return row;
    }

    private static CommitteeView Build(Register register, CommitteeAsOf asOf, CommitteeComplianceRecord? record)
    {
        var view = new CommitteeView
        {
            Committee = ContractMapper.Committee(register, asOf, record?.Status),
            LastConsolidationNumber = asOf.LastConsolidation?.Number ?? "",
            LastConsolidationDate = ContractMapper.ToProto(asOf.LastConsolidation?.EffectiveDate),
            Compliance = record is null ? null : ContractMapper.Compliance(ToDomain(record), record.EvaluatedAt),
            AsOf = ContractMapper.ToDate(asOf.Date),
            MemberCount = asOf.MemberCount,
            UncertainMemberCount = asOf.UncertainMemberCount,
        };
        view.Memberships.AddRange(asOf.Seats.Select(seat => ContractMapper.Membership(seat, asOf.Date)));
        view.WorkingGroups.AddRange(asOf.WorkingGroups.Select(ContractMapper.WorkingGroup));
        return view;
    }

    private static Domain.Compliance.CommitteeCompliance ToDomain(CommitteeComplianceRecord record) =>
        new(record.Status, [.. record.Findings.Select(f => new Domain.Compliance.ComplianceFinding(f.RuleId, f.Status, f.Explanation))]);
}
