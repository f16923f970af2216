namespace Egov.Steering.Membership.Domain.Decisions;

internal sealed partial class DecisionRun
{
    private void AssignPostHolder(AssignPostHolder change, CivilDate date)
    {
        var post = register.FindPost(change.PostId);
        if (post is null)
        {
            Report(change.Path + ".post", "UNKNOWN_POST", $"Không có posts/{change.PostId} / no such post");
        }
        else if (!CanWrite(post.Organisation))
        {
            Report(change.Path + ".post", "NOT_OWNER", $"posts/{post.Id} thuộc {post.Organisation} / belongs to another organisation");
            post = null;
        }
        else if (post.Holders.Count > 0 && !CheckNotBefore(change.Path, date, post.Holders[^1].Start, post.DisplayName))
        {
            post = null;
        }

        if (change.PersonId is { } personId && register.FindPerson(personId) is null)
        {
            Report(change.Path + ".person", "UNKNOWN_PERSON", $"Không có people/{personId} / no such person");
            return;
        }

        if (post is not null)
        {
            RecordHolder(post, change.PersonId, date, change.HolderNotRecorded);
        }
    }

    private void RecordHolder(Post post, string? personId, CivilDate date, bool holderNotRecorded = false)
    {
        post.Assign(personId, date, decisionId, holderNotRecorded);
        events.Add(new PostHolderChanged(post.Id, personId, decisionId, date, holderNotRecorded) { AggregateVersion = post.Version });
    }
}
