import {
  Badge,
  Button,
  createTheme,
  type CSSVariablesResolver,
  defaultVariantColorsResolver,
  type MantineColorsTuple,
  Modal,
  NavLink,
  Notification,
  parseThemeColor,
  Table,
  TextInput,
  Tooltip,
  type VariantColorsResolver,
} from '@mantine/core';

// Shades 6–9 are dark enough for white text (WCAG AA) so filled buttons and badges pass.
const realign: MantineColorsTuple = ['#e9f1fb', '#d2e2f5', '#a5c3ea', '#74a2de', '#4b86d4', '#2f73ce', '#1f64bf', '#1a56a6', '#144a8f', '#0d3a74'];
const portal: MantineColorsTuple = ['#e3f6f2', '#c4ebe2', '#8ed7c6', '#55c2a9', '#2cae91', '#15a083', '#08775f', '#066a55', '#055a49', '#034a3c'];
// Mantine's green and orange are too light at 8–9 for text on a tinted background.
const green: MantineColorsTuple = ['#ebfbee', '#d3f9d8', '#b2f2bb', '#8ce99a', '#69db7c', '#51cf66', '#40c057', '#2f9e44', '#237a37', '#1e6e33'];
const orange: MantineColorsTuple = ['#fff4e6', '#ffe8cc', '#ffd8a8', '#ffc078', '#ffa94d', '#ff922b', '#fd7e14', '#d9480f', '#bf400d', '#a63c06'];
// Teal too: Mantine's shade 9 on its own tint is 4.32:1 (an "Approved" plan version badge).
const teal: MantineColorsTuple = ['#e6fcf5', '#c3fae8', '#96f2d7', '#63e6be', '#38d9a9', '#20c997', '#12b886', '#0ca678', '#087f5b', '#066649'];

// Light variants (badges, light buttons) draw their text in shade 9 so it stays above 4.5:1.
const variantColorResolver: VariantColorsResolver = (input) => {
  const base = defaultVariantColorsResolver(input);
  if (input.variant === 'light') {
    const parsed = parseThemeColor({ color: input.color ?? input.theme.primaryColor, theme: input.theme });
    if (parsed.isThemeColor && parsed.color !== 'dark') return { ...base, color: `var(--mantine-color-${parsed.color}-9)` };
  }
  return base;
};

const shared = {
  fontFamily: 'Inter, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif',
  headings: { fontWeight: '650' },
  defaultRadius: 'sm',
  primaryShade: 7 as const,
  colors: { realign, portal, green, orange, teal },
  variantColorResolver,
  cursorType: 'pointer' as const,
  // People who ask their system for less motion get no transitions (and browser tests ask for it).
  respectReducedMotion: true,
  components: {
    Table: Table.extend({ defaultProps: { striped: true, highlightOnHover: true, verticalSpacing: 6, horizontalSpacing: 'sm', fz: 'sm' } }),
    Button: Button.extend({ defaultProps: { size: 'sm' } }),
    TextInput: TextInput.extend({ defaultProps: { size: 'sm' } }),
    Badge: Badge.extend({ defaultProps: { radius: 'sm', tt: 'none', fw: 600 } }),
    NavLink: NavLink.extend({ defaultProps: { variant: 'light' } }),
    Modal: Modal.extend({
      defaultProps: { centered: true, overlayProps: { backgroundOpacity: 0.45 }, closeButtonProps: { 'aria-label': 'Close dialog' } },
      styles: { title: { fontWeight: 650 } },
    }),
    Notification: Notification.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Dismiss notification' } } }),
    Tooltip: Tooltip.extend({ defaultProps: { withArrow: true } }),
  },
};

export const internalTheme = createTheme({ ...shared, primaryColor: 'realign' });
export const partnerTheme = createTheme({ ...shared, primaryColor: 'portal' });

// Mantine's default dimmed grey and error red are below 4.5:1 on white; darker shades keep
// secondary text and field errors readable (WCAG AA).
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-placeholder': 'var(--mantine-color-gray-6)',
    '--mantine-color-error': 'var(--mantine-color-red-8)',
  },
  dark: {},
});
