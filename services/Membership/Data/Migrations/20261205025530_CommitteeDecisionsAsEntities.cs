using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Egov.Steering.Membership.Data.Migrations
{
    /// <inheritdoc />
    public partial class CommitteeDecisionsAsEntities : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The table is unchanged: committee_decisions rows became an entity of their own (they were owned by the
            // committee) so that a decision loads only those its rules read.
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {

        }
    }
}
