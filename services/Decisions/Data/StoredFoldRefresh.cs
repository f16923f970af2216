using Egov.Steering.Storage;
using Egov.Steering.Text;
using Microsoft.EntityFrameworkCore;

namespace Egov.Steering.Decisions.Data;

/// <summary>
/// The release step that rewrites the stored folds of numbers, titles and summaries (what search and the one-number-
/// per-issuer check compare) when <see cref="VietnameseText.Fold"/> changes, in place: a decision's version and update
/// time stay. Two issued decisions of one issuer whose numbers fold alike only under the new fold (one written with Ð
/// for Đ before the fold took it for d) cannot both hold it: the one refreshed second keeps its old fold, and the log
/// names it for an operator.
/// </summary>
internal sealed partial class StoredFoldRefresh(IServiceScopeFactory scopes, ILogger<StoredFoldRefresh> logger) : IReleaseStep
{
    // Decisions read at a time: a register of every commune's decisions is not read into memory at once.
    private const int PageSize = 500;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DecisionsDbContext>();
        var after = string.Empty;
        while (await db.Decisions.AsNoTracking()
            .Where(d => string.Compare(d.Id, after) > 0)
            .OrderBy(d => d.Id)
            .Take(PageSize)
            .Select(d => new StoredFolds(d.Id, d.Number, d.NumberFolded, d.Title, d.TitleFolded, d.Summary, d.SummaryFolded))
            .ToListAsync(cancellationToken) is { Count: > 0 } page)
        {
            after = page[^1].Id;
            foreach (var row in page)
            {
                await RefreshAsync(db, row, cancellationToken);
            }
        }
    }

    private async Task RefreshAsync(DecisionsDbContext db, StoredFolds row, CancellationToken cancellationToken)
    {
        var (title, summary) = (VietnameseText.Fold(row.Title), VietnameseText.Fold(row.Summary));
        if (title != row.TitleFolded || summary != row.SummaryFolded)
        {
            await db.Decisions.Where(d => d.Id == row.Id)
                .ExecuteUpdateAsync(set => set.SetProperty(d => d.TitleFolded, title).SetProperty(d => d.SummaryFolded, summary), cancellationToken);
        }

        var number = VietnameseText.Fold(row.Number);
        if (number == row.NumberFolded)
        {
            return;
        }

        try
        {
            await db.Decisions.Where(d => d.Id == row.Id).ExecuteUpdateAsync(set => set.SetProperty(d => d.NumberFolded, number), cancellationToken);
        }
        catch (Exception exception) when (DecisionsDbContext.IsIssuedNumberTaken(exception))
        {
            LogNumberShared(row.Id, row.Number);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Decision {Id}: its number {Number} now folds like another issued decision's of its issuer; its stored fold is left as it was")]
    private partial void LogNumberShared(string id, string number);

    private sealed record StoredFolds(string Id, string Number, string NumberFolded, string Title, string TitleFolded, string Summary, string SummaryFolded);
}
