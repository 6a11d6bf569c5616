/** The part of SARIF 2.1.0 ScanRook writes (names as in the OASIS schema). */

export interface SarifMessage {
  text: string;
  markdown?: string;
}

export interface SarifRegion {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

export interface SarifLocation {
  physicalLocation: {
    artifactLocation: { uri: string };
    region: SarifRegion;
  };
  message?: SarifMessage;
}

export interface SarifSuppression {
  kind: 'external' | 'inSource';
  status?: 'accepted' | 'underReview' | 'rejected';
  justification?: string;
  properties?: Record<string, unknown>;
}

export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: 'error' | 'warning' | 'note' | 'none';
  message: SarifMessage;
  locations: SarifLocation[];
  partialFingerprints: Record<string, string>;
  suppressions?: SarifSuppression[];
  properties?: Record<string, unknown>;
}

export interface SarifRule {
  id: string;
  name?: string;
  shortDescription: SarifMessage;
  fullDescription: SarifMessage;
  help: SarifMessage;
  helpUri?: string;
  defaultConfiguration: { level: SarifResult['level'] };
  properties: {
    tags: string[];
    precision: 'very-high' | 'high' | 'medium' | 'low';
    'security-severity'?: string;
    [k: string]: unknown;
  };
}

export interface SarifNotification {
  level: 'error' | 'warning' | 'note' | 'none';
  message: SarifMessage;
  descriptor?: { id: string };
}

export interface SarifRun {
  tool: {
    driver: {
      name: string;
      semanticVersion: string;
      version: string;
      informationUri?: string;
      rules: SarifRule[];
    };
  };
  automationDetails: { id: string; description?: SarifMessage };
  invocations: { executionSuccessful: boolean; toolExecutionNotifications?: SarifNotification[] }[];
  columnKind: 'utf16CodeUnits';
  results: SarifResult[];
  properties?: Record<string, unknown>;
}

export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: SarifRun[];
}
