/**
 * The Settings tab: the issuers the user trusts, the accreditation bodies (a list of
 * their own) and the data categories for research access, security (password,
 * auto-lock), and chain anchoring.
 */
import type { WalletStateView } from '../../protocol/internal.ts';
import { AccreditorsSection } from './accreditors-section.tsx';
import { AnchoringSection } from './anchoring-section.tsx';
import { BackupSection } from './backup-section.tsx';
import { ResearchPolicySection } from './research-policy-section.tsx';
import { SecuritySection } from './security-section.tsx';
import { TrustedIssuersSection } from './trusted-issuers-section.tsx';

export function SettingsSection({
  state,
  onState,
  onLocked,
  onTrustChanged,
}: {
  state: WalletStateView;
  onState: (state: WalletStateView) => void;
  onLocked: () => void;
  onTrustChanged: () => void;
}) {
  return (
    <div class="settings" id="settings" tabIndex={-1} aria-labelledby="settings-heading" role="region">
      <h2 id="settings-heading" class="settings-heading">
        Settings
      </h2>
      <TrustedIssuersSection onLocked={onLocked} onChanged={onTrustChanged} />
      <AccreditorsSection onLocked={onLocked} />
      <ResearchPolicySection onLocked={onLocked} />
      <SecuritySection state={state} onState={onState} />
      <BackupSection onLocked={onLocked} />
      <AnchoringSection onLocked={onLocked} />
    </div>
  );
}
