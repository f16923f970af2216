using Egov.Steering.Membership.UseCases;
using Egov.Steering.ServiceDefaults.Errors;

namespace Egov.Steering.Membership.Tests.UseCases;

/// <summary>The prologue every update shares: found, allowed, current; then only the masked fields are set.</summary>
public class UpdateTests
{
    private sealed record Resource(long Revision)
    {
        public string Text { get; set; } = "before";
    }

    [Fact]
    public void Opening_checks_existence_then_permission_then_the_etag()
    {
        var update = new Update<string>("\"4\"", new HashSet<string>(["text"]), "after");

        Assert.Throws<ResourceNotFoundException>(() => update.Open<Resource>(null, "things/a", r => r.Revision, _ => throw new InvalidOperationException()));
        Assert.Throws<PermissionDeniedException>(() => update.Open(new Resource(3), "things/a", r => r.Revision, _ => throw new PermissionDeniedException("NOT_YOURS", "no")));
        Assert.Throws<StaleEtagException>(() => update.Open(new Resource(3), "things/a", r => r.Revision, _ => { }));
        Assert.NotNull(update.Open(new Resource(4), "things/a", r => r.Revision, _ => { }));
        Assert.NotNull((update with { ETag = "" }).Open(new Resource(3), "things/a", r => r.Revision, _ => { }));
    }

    [Fact]
    public void Only_the_fields_the_mask_names_are_set()
    {
        var update = new Update<string>("", new HashSet<string>(["text"]), "after");
        var resource = new Resource(1);

        update.Set("other", value => resource.Text = "wrong");
        update.Set("text", value => resource.Text = value);

        Assert.Equal("after", resource.Text);
    }
}
