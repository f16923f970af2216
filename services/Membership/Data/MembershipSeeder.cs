using Egov.Steering.Membership.Domain;
using Egov.Steering.ReferenceData;
using Egov.Steering.Text;
using Microsoft.EntityFrameworkCore;

namespace Egov.Steering.Membership.Data;

/// <summary>
/// The seeding step run with the migrations: reference organisations (ministries, provinces of 2020 and 2025 with
/// their merges) from the ReferenceData project and the compliance rules of the versioned rules file. Inserts what
/// is missing and never overwrites (an admin's rule changes stay), so it can run on every release.
/// </summary>
public static class MembershipSeeder
{
    /// <summary>The 2020 provinces ended, and the 2025 ones began, with Resolution 202/2025/QH15.</summary>
    private static readonly CivilDate ProvinceReform = CivilDate.Of(2025, 7, 1);

    /// <summary>The ministries were reorganised by Resolution 176/2025/QH15.</summary>
    private static readonly CivilDate MinistryReform = CivilDate.Of(2025, 3, 1);

    public static async Task SeedAsync(MembershipDbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var knownCodes = await db.Organisations.Select(o => o.Code).ToListAsync(cancellationToken);
        db.Organisations.AddRange(ReferenceOrganisations().Where(o => !knownCodes.Contains(o.Code)));

        var knownRules = await db.ComplianceRules.ToDictionaryAsync(r => r.Id, cancellationToken);
        var fileRules = ComplianceRulesFile.Load();
        db.ComplianceRules.AddRange(fileRules.Where(r => !knownRules.ContainsKey(r.Id)));
        // A rule stored before rules cited their sources gets the file's citation; one an admin cited stays as it is.
        foreach (var (stored, file) in fileRules.Where(r => knownRules.ContainsKey(r.Id)).Select(r => (knownRules[r.Id], r))
            .Where(pair => pair.Item1.Source is null && pair.Item2.Source is not null))
        {
            (stored.Source, stored.InForceFrom) = (file.Source, file.InForceFrom);
            stored.Touch();
        }

        await db.SaveChangesAsync(cancellationToken);

        await RefreshDerivedTextAsync(db.Committees, cancellationToken);
        await RefreshDerivedTextAsync(db.Posts, cancellationToken);
        await RefreshDerivedTextAsync(db.People, cancellationToken);
    }

    /// <summary>
    /// Search texts and sort keys are computed in code (<see cref="MembershipDbContext.DerivedText"/>), so when the fold
    /// or the order changes (numbers compared by value, the letters that look like đ) the rows already stored get it
    /// here: each stale pair is rewritten in place, nothing else of the row (its update time and etag stay).
    /// </summary>
    private static async Task RefreshDerivedTextAsync<T>(DbSet<T> rows, CancellationToken cancellationToken)
        where T : class
    {
        // In pages by id: a register of every commune's people is not read into memory at once.
        var after = string.Empty;
        while (await rows.AsNoTracking().AsSplitQuery()
            .Where(row => string.Compare(EF.Property<string>(row, "Id"), after) > 0)
            .OrderBy(row => EF.Property<string>(row, "Id"))
            .Take(RefreshPageSize)
            .Select(row => new
            {
                Row = row,
                Id = EF.Property<string>(row, "Id"),
                SearchText = EF.Property<string?>(row, MembershipDbContext.SearchText),
                SortKey = EF.Property<string?>(row, MembershipDbContext.SortKey),
            })
            .ToListAsync(cancellationToken) is { Count: > 0 } page)
        {
            after = page[^1].Id;
            foreach (var row in page)
            {
                var (searchText, sortKey) = MembershipDbContext.DerivedText(row.Row)!.Value;
                if (searchText != row.SearchText || sortKey != row.SortKey)
                {
                    await rows.Where(r => EF.Property<string>(r, "Id") == row.Id)
                        .ExecuteUpdateAsync(
                            update => update
                                .SetProperty(r => EF.Property<string?>(r, MembershipDbContext.SearchText), searchText)
                                .SetProperty(r => EF.Property<string?>(r, MembershipDbContext.SortKey), sortKey),
                            cancellationToken);
                }
            }
        }
    }

    // Rows read at a time by the refresh.
    private const int RefreshPageSize = 500;

    /// <summary>The ministry a fate such as "merged into Bộ Khoa học và Công nghệ (…)" or "became Bộ Dân tộc và Tôn giáo" names first.</summary>
    private static Ministry? SuccessorOf(Ministry ministry) => Ministries.All
        .Where(other => other != ministry && ministry.Fate.Contains(other.Name, StringComparison.Ordinal))
        .MinBy(other => ministry.Fate.IndexOf(other.Name, StringComparison.Ordinal));

    /// <summary>Every ministry and provincial-level unit with the period it is in force.</summary>
    public static IEnumerable<OrganisationRecord> ReferenceOrganisations()
    {
        foreach (var province in Provinces.Era2020)
        {
            yield return new OrganisationRecord
            {
                Code = province.OrganisationCode,
                Level = CommitteeLevel.Province,
                DisplayName = province.FullName,
                Start = CivilDate.OfYear(2008),
                End = ProvinceReform,
                SuccessorCode = Provinces.SuccessorOf(province).OrganisationCode,
            };
        }

        foreach (var province in Provinces.Era2025)
        {
            yield return new OrganisationRecord
            {
                Code = province.OrganisationCode,
                Level = CommitteeLevel.Province,
                DisplayName = province.FullName,
                Start = ProvinceReform,
            };
        }

        foreach (var ministry in Ministries.All)
        {
            var createdByReform = ministry.Period.StartsWith("2025", StringComparison.Ordinal);
            yield return new OrganisationRecord
            {
                Code = ministry.Code,
                Level = CommitteeLevel.Ministry,
                DisplayName = ministry.Name,
                Start = createdByReform ? MinistryReform : CivilDate.OfYear(2016),
                End = ministry.InForceFromMarch2025 ? null : MinistryReform,
                SuccessorCode = ministry.InForceFromMarch2025 ? null : SuccessorOf(ministry)?.Code,
            };
        }
    }
}
