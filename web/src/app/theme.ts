import {
  Badge,
  Button,
  createTheme,
  type CSSVariablesResolver,
  type MantineColorsTuple,
  Modal,
  NavLink,
  Table,
  TextInput,
  Tooltip,
} from '@mantine/core';

// Shades 6–9 are dark enough for white text (WCAG AA) so filled buttons and badges pass.
const realign: MantineColorsTuple = [
  '#e9f1fb',
  '#d2e2f5',
  '#a5c3ea',
  '#74a2de',
  '#4b86d4',
  '#2f73ce',
  '#1f64bf',
  '#1a56a6',
  '#144a8f',
  '#0d3a74',
];
const portal: MantineColorsTuple = [
  '#e3f6f2',
  '#c4ebe2',
  '#8ed7c6',
  '#55c2a9',
  '#2cae91',
  '#15a083',
  '#0b8a71',
  '#087562',
  '#066354',
  '#034f43',
];

const shared = {
  fontFamily:
    'Inter, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif',
  headings: { fontWeight: '650' },
  defaultRadius: 'sm',
  primaryShade: 7 as const,
  colors: { realign, portal },
  cursorType: 'pointer' as const,
  components: {
    Table: Table.extend({
      defaultProps: { striped: true, highlightOnHover: true, verticalSpacing: 6, horizontalSpacing: 'sm', fz: 'sm' },
    }),
    Button: Button.extend({ defaultProps: { size: 'sm' } }),
    TextInput: TextInput.extend({ defaultProps: { size: 'sm' } }),
    Badge: Badge.extend({ defaultProps: { radius: 'sm', tt: 'none', fw: 600 } }),
    NavLink: NavLink.extend({ defaultProps: { variant: 'light' } }),
    Modal: Modal.extend({ defaultProps: { centered: true, overlayProps: { backgroundOpacity: 0.45 } } }),
    Tooltip: Tooltip.extend({ defaultProps: { withArrow: true } }),
  },
};

export const internalTheme = createTheme({ ...shared, primaryColor: 'realign' });
export const partnerTheme = createTheme({ ...shared, primaryColor: 'portal' });

// Mantine's default dimmed grey is below 4.5:1 on white; a darker grey keeps secondary text readable.
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-placeholder': 'var(--mantine-color-gray-6)',
  },
  dark: {},
});
