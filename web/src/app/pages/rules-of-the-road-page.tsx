import { PageHeader } from '../../components/ui/page-header.tsx';
import { RulesReader } from '../../features/engagement/rules/components/rules-reader.tsx';

/** Partners: the rules of the road in force, in plain language, to read and accept. */
export function RulesOfTheRoadPage() {
  return (
    <>
      <PageHeader
        title="Rules of the road"
        description="Who can register what, who answers you and how fast, how long you are protected, and how deals are credited."
      />
      <RulesReader />
    </>
  );
}
