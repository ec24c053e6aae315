/**
 * The offer, consent and data-access views, loaded on demand: most approvals are logins, and the
 * window appears sooner when it parses only the view it shows.
 */
import { useEffect, useState } from 'preact/hooks';
import type { CredentialsApprovalView, DataAccessApprovalView, IssuanceApprovalView, OfferApprovalView } from '../../protocol/internal.ts';
import { ErrorText, Loading } from '../components/page.tsx';

interface ViewProps<A> {
  approval: A;
  lookupError: string | null;
  onFinished: () => void;
}

type ViewComponent<A> = (props: ViewProps<A>) => preact.JSX.Element;

function useModule<A>(load: () => Promise<ViewComponent<A>>): { View: ViewComponent<A> | null; error: string | null } {
  const [state, setState] = useState<{ View: ViewComponent<A> | null; error: string | null }>({ View: null, error: null });
  useEffect(() => {
    let live = true;
    load().then(
      (View) => live && setState({ View, error: null }),
      (error: unknown) => live && setState({ View: null, error: `This view failed to load: ${String(error)}` }),
    );
    return () => {
      live = false;
    };
  }, [load]);
  return state;
}

const loadOffer = () => import('./offer-request.tsx').then((m) => m.OfferRequest as ViewComponent<OfferApprovalView>);
const loadCredentials = () =>
  import('./credentials-request.tsx').then((m) => m.CredentialsRequest as ViewComponent<CredentialsApprovalView>);

export function LazyOfferRequest(props: ViewProps<OfferApprovalView>) {
  const { View, error } = useModule(loadOffer);
  if (error) return <ErrorText message={error} />;
  return View ? <View {...props} /> : <Loading />;
}

export function LazyCredentialsRequest(props: ViewProps<CredentialsApprovalView>) {
  const { View, error } = useModule(loadCredentials);
  if (error) return <ErrorText message={error} />;
  return View ? <View {...props} /> : <Loading />;
}

const loadDataAccess = () =>
  import('./data-access-request.tsx').then((m) => m.DataAccessRequest as ViewComponent<DataAccessApprovalView>);

export function LazyDataAccessRequest(props: ViewProps<DataAccessApprovalView>) {
  const { View, error } = useModule(loadDataAccess);
  if (error) return <ErrorText message={error} />;
  return View ? <View {...props} /> : <Loading />;
}

const loadIssuance = () => import('./issuance-request.tsx').then((m) => m.IssuanceRequest as ViewComponent<IssuanceApprovalView>);

export function LazyIssuanceRequest(props: ViewProps<IssuanceApprovalView>) {
  const { View, error } = useModule(loadIssuance);
  if (error) return <ErrorText message={error} />;
  return View ? <View {...props} /> : <Loading />;
}
