using Egov.Steering.Decisions.Data;
using Egov.Steering.Decisions.Domain;
using Microsoft.EntityFrameworkCore;

namespace Egov.Steering.Decisions.UseCases;

/// <summary>Reading decisions: one by id, a page of a search, and every problem one would have if issued now.</summary>
internal sealed class DecisionQueries(DecisionsDbContext db, DecisionValidation validation)
{
    public Task<Decision> GetAsync(string id, CancellationToken cancellationToken) => db.FindAsync(id, tracked: false, cancellationToken);

    public async Task<DecisionPage> ListAsync(DecisionSearch search, CancellationToken cancellationToken)
    {
        var query = db.Decisions.AsNoTracking();
        if (search.Committee.Length > 0)
        {
            query = query.Where(d => d.SubjectCommittees.Contains(search.Committee));
        }

        if (search.Issuer.Length > 0)
        {
            query = query.Where(d => d.IssuerOrganisation == search.Issuer);
        }

        if (search.NumberFolded.Length > 0)
        {
            query = query.Where(d => d.NumberFolded.Contains(search.NumberFolded));
        }

        foreach (var word in search.WordsFolded)
        {
            query = query.Where(d => d.TitleFolded.Contains(word) || d.SummaryFolded.Contains(word));
        }

        if (search.Kinds.Count > 0)
        {
            var kinds = search.Kinds.ToList();
            query = query.Where(d => d.Kinds.Any(kind => kinds.Contains(kind)));
        }

        if (search.States.Count > 0)
        {
            var states = search.States.ToList();
            query = query.Where(d => states.Contains(d.State));
        }

        if (search.EffectiveFrom is { } start)
        {
            query = query.Where(d => d.EffectiveOn >= start);
        }

        if (search.EffectiveTo is { } end)
        {
            query = query.Where(d => d.EffectiveOn != DateOnly.MinValue && d.EffectiveOn <= end);
        }

        // Latest effective date first (undated drafts last), then by id: a total order for keyset paging.
        if (search.After is { } after)
        {
            query = query.Where(d => d.EffectiveOn < after.EffectiveOn || (d.EffectiveOn == after.EffectiveOn && string.Compare(d.Id, after.Id) > 0));
        }

        var page = await query.OrderByDescending(d => d.EffectiveOn).ThenBy(d => d.Id).Take(search.PageSize + 1).ToListAsync(cancellationToken);
        var decisions = page.Take(search.PageSize).ToList();
        return new DecisionPage(decisions, page.Count > search.PageSize ? DecisionPosition.Of(decisions[^1]) : null);
    }

    public async Task<IReadOnlyList<Problem>> ValidateAsync(string id, CancellationToken cancellationToken)
    {
        var decision = await db.FindAsync(id, tracked: false, cancellationToken);
        return (await validation.ValidateAsync(decision, cancellationToken)).Problems;
    }
}

/// <summary>What ListDecisions looks for; empty text and lists match everything. Text is folded (no case, no diacritics).</summary>
internal sealed record DecisionSearch
{
    public string Committee { get; init; } = string.Empty;

    public string Issuer { get; init; } = string.Empty;

    public string NumberFolded { get; init; } = string.Empty;

    /// <summary>Every word must be in the title or the summary.</summary>
    public IReadOnlyList<string> WordsFolded { get; init; } = [];

    public IReadOnlyList<DecisionKind> Kinds { get; init; } = [];

    public IReadOnlyList<DecisionState> States { get; init; } = [];

    public DateOnly? EffectiveFrom { get; init; }

    public DateOnly? EffectiveTo { get; init; }

    /// <summary>The last decision of the previous page.</summary>
    public DecisionPosition? After { get; init; }

    public required int PageSize { get; init; }
}

/// <summary>A decision's place in the list order.</summary>
internal sealed record DecisionPosition(DateOnly EffectiveOn, string Id)
{
    public static DecisionPosition Of(Decision decision) => new(decision.EffectiveOn, decision.Id);
}

/// <summary>A page of decisions and, when more follow, where the next page starts after.</summary>
internal sealed record DecisionPage(IReadOnlyList<Decision> Decisions, DecisionPosition? Next);
